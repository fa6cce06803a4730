"""XAdES-T signatures of lots (SPEC-NOTES 3: XAdES v1.3.2, RSA-SHA256, SHA-256 digests,
inclusive C14N 1.0, SignatureTimeStamp from an RFC 3161 authority).

The signature sits in the lot's Validation record (``<Sig>``) and is enveloped there: one
reference (``URI=""``, enveloped-signature transform) covers the record itself, so
DateHorodatage, the IDs and EmpVal are signed; another (``URI="lot.xml"``, no transform)
digests the lot plaintext bytes as stored, which is what ``xmlsec1`` reads from a file of
that name; XAdES adds the SignedProperties and KeyInfo references. signxml ignores
unsigned properties, so :func:`verify_validation_record` checks the SignatureTimeStamp
itself (imprint = SHA-256 of the C14N of ``ds:SignatureValue``) and the signer's chain at
the time-stamp's genTime, which keeps a signature provable after its certificate expires.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree
from rfc3161_client import VerifierBuilder, decode_timestamp_response
from rfc3161_client.errors import VerificationError
from signxml import DigestAlgorithm, SignatureMethod, methods
from signxml.algorithms import CanonicalizationMethod
from signxml.exceptions import SignXMLException
from signxml.xades import XAdESSignatureConfiguration, XAdESSigner, XAdESVerifier

from frontal.tsa import TimeStamper, response_from_token

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
LOT_URI = "lot.xml"
C14N_INCLUSIVE = CanonicalizationMethod.CANONICAL_XML_1_0.value


class SignatureInvalid(ValueError):
    pass


@dataclass(frozen=True)
class SignedRecord:
    record: bytes  # the Validation record, canonical, signature and time-stamp included
    gen_time: dt.datetime


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=False, with_comments=False)


def signature_value_imprint(signature: etree._Element) -> bytes:
    value = signature.find(f"{{{DS}}}SignatureValue")
    if value is None:
        raise SignatureInvalid("the signature has no SignatureValue")
    return hashlib.sha256(_c14n(value)).digest()


class _LotSigner(XAdESSigner):
    """XAdESSigner with one more reference: the lot plaintext, by its SHA-256."""

    def __init__(self, lot_digest: bytes) -> None:
        super().__init__(method=methods.enveloped, signature_algorithm=SignatureMethod.RSA_SHA256,
                         digest_algorithm=DigestAlgorithm.SHA256, c14n_algorithm=C14N_INCLUSIVE)
        self._lot_digest = lot_digest
        self.signature_annotators.append(self._add_lot_reference)

    def _add_lot_reference(self, sig_root: etree._Element, signing_settings: object) -> None:
        signed_info = sig_root.find(f"{{{DS}}}SignedInfo")
        reference = etree.SubElement(signed_info, f"{{{DS}}}Reference", URI=LOT_URI)
        etree.SubElement(reference, f"{{{DS}}}DigestMethod", Algorithm=DigestAlgorithm.SHA256.value)
        etree.SubElement(reference, f"{{{DS}}}DigestValue").text = base64.b64encode(self._lot_digest).decode()


class LotSigner:
    """Signs Validation records; build it once (key objects, not PEM, on the hot path)."""

    def __init__(self, key: rsa.RSAPrivateKey, chain: list[x509.Certificate], stamper: TimeStamper) -> None:
        self._key = key
        self._chain = chain
        self._stamper = stamper

    def sign(self, record: etree._Element, plaintext: bytes) -> SignedRecord:
        """``record`` is the Validation record with an empty ``<Sig/>`` as its last child."""
        sig = record.find("Sig")
        if sig is None or len(sig):
            raise SignatureInvalid("the record needs an empty Sig element")
        etree.SubElement(sig, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
        signed = _LotSigner(hashlib.sha256(plaintext).digest()).sign(
            record, key=self._key, cert=self._chain)
        signature = signed.find(f"Sig/{{{DS}}}Signature")
        token = self._stamper.timestamp(signature_value_imprint(signature))
        gen_time = decode_timestamp_response(response_from_token(token)).tst_info.gen_time
        _add_signature_timestamp(signature, token)
        return SignedRecord(_c14n(signed), gen_time.astimezone(dt.timezone.utc))


def _add_signature_timestamp(signature: etree._Element, token: bytes) -> None:
    qualifying = signature.find(f"{{{DS}}}Object/{{{XADES}}}QualifyingProperties")
    if qualifying is None:
        raise SignatureInvalid("signxml produced no QualifyingProperties")
    unsigned = etree.SubElement(qualifying, f"{{{XADES}}}UnsignedProperties")
    properties = etree.SubElement(unsigned, f"{{{XADES}}}UnsignedSignatureProperties")
    stamp = etree.SubElement(properties, f"{{{XADES}}}SignatureTimeStamp", Id=f"{signature.get('Id')}-TS")
    etree.SubElement(stamp, f"{{{DS}}}CanonicalizationMethod", Algorithm=C14N_INCLUSIVE)
    etree.SubElement(stamp, f"{{{XADES}}}EncapsulatedTimeStamp").text = base64.b64encode(token).decode()


@dataclass(frozen=True)
class VerifiedSignature:
    gen_time: dt.datetime
    signer: x509.Certificate


BASE64_TEXT = frozenset({f"{{{DS}}}DigestValue", f"{{{DS}}}SignatureValue", f"{{{DS}}}X509Certificate",
                         f"{{{XADES}}}EncapsulatedTimeStamp"})


def verify_validation_record(record: bytes, plaintext: bytes, roots: list[x509.Certificate]) -> VerifiedSignature:
    """Check the record's form, the time-stamp, the signer's chain at genTime, then XAdES core."""
    root = etree.fromstring(record)
    if _c14n(root) != record:
        raise SignatureInvalid("the Validation record is not in canonical form")
    signature = root.find(f"Sig/{{{DS}}}Signature")
    if signature is None:
        raise SignatureInvalid("no ds:Signature in Sig")
    try:
        _check_unsigned_parts(signature)
        gen_time = _verify_timestamp(signature, roots)
        chain = _key_info_certificates(signature)
        _verify_chain(chain, roots, gen_time)
    except SignatureInvalid:
        raise
    except ValueError as exc:  # cryptography parses certificates lazily: a damaged one fails late
        raise SignatureInvalid(f"malformed signature material: {exc}") from exc

    def resolve(uri: str) -> bytes | None:
        return plaintext if uri == LOT_URI else None

    try:
        results = XAdESVerifier().verify(
            root, x509_cert=chain[0], uri_resolver=resolve,
            expect_config=XAdESSignatureConfiguration(
                expect_references=4, signature_methods=frozenset({SignatureMethod.RSA_SHA256}),
                digest_algorithms=frozenset({DigestAlgorithm.SHA256})))
    except (SignXMLException, ValueError, etree.LxmlError) as exc:
        raise SignatureInvalid(f"XAdES signature does not verify: {exc}") from exc
    references = [r.get("URI") for r in signature.iterfind(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")]
    if len(results) != 4 or references[0] != "" or references[-1] != LOT_URI:
        raise SignatureInvalid("the signature does not cover both the record and the lot")
    return VerifiedSignature(gen_time, chain[0])


def _check_unsigned_parts(signature: etree._Element) -> None:
    """What the signature does not cover must still be exactly what the vault writes."""
    for node in signature.iter():
        if node.tag in BASE64_TEXT:
            text = "".join((node.text or "").split())
            try:
                if base64.b64encode(base64.b64decode(text, validate=True)).decode() != text:
                    raise SignatureInvalid(f"non-canonical base64 in {etree.QName(node).localname}")
            except (ValueError, TypeError) as exc:
                raise SignatureInvalid(f"bad base64 in {etree.QName(node).localname}") from exc
    qualifying = signature.find(f"{{{DS}}}Object/{{{XADES}}}QualifyingProperties")
    if qualifying is None or qualifying.get("Target") != f"#{signature.get('Id')}":
        raise SignatureInvalid("QualifyingProperties does not target this signature")
    stamps = qualifying.findall(f"{{{XADES}}}UnsignedProperties/{{{XADES}}}UnsignedSignatureProperties/"
                                f"{{{XADES}}}SignatureTimeStamp")
    if len(stamps) != 1:
        raise SignatureInvalid("exactly one SignatureTimeStamp expected (XAdES-T)")
    method = stamps[0].find(f"{{{DS}}}CanonicalizationMethod")
    if stamps[0].get("Id") != f"{signature.get('Id')}-TS" or method is None or method.get("Algorithm") != C14N_INCLUSIVE:
        raise SignatureInvalid("SignatureTimeStamp attributes differ from the vault's profile")


def _verify_timestamp(signature: etree._Element, roots: list[x509.Certificate]) -> dt.datetime:
    node = signature.find(f".//{{{XADES}}}SignatureTimeStamp/{{{XADES}}}EncapsulatedTimeStamp")
    if node is None or not node.text:
        raise SignatureInvalid("no SignatureTimeStamp (XAdES-T required)")
    try:
        response = decode_timestamp_response(response_from_token(base64.b64decode(node.text, validate=True)))
    except (ValueError, TypeError) as exc:
        raise SignatureInvalid(f"the time-stamp token cannot be read: {exc}") from exc
    builder = VerifierBuilder()
    for root in roots:
        builder = builder.add_root_certificate(root)
    try:
        builder.build().verify(response, signature_value_imprint(signature))
    except VerificationError as exc:
        raise SignatureInvalid(f"time-stamp does not verify: {exc}") from exc
    return response.tst_info.gen_time.astimezone(dt.timezone.utc)


def _key_info_certificates(signature: etree._Element) -> list[x509.Certificate]:
    nodes = signature.findall(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate")
    if not nodes:
        raise SignatureInvalid("the signature carries no signer certificate")
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(n.text or "")) for n in nodes]
    except ValueError as exc:
        raise SignatureInvalid(f"unreadable signer certificate: {exc}") from exc


def _verify_chain(chain: list[x509.Certificate], roots: list[x509.Certificate], at: dt.datetime) -> None:
    """Leaf first; every link issued by the next, ending at a trusted root, all valid at ``at``."""
    leaf = chain[0]
    try:
        usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise SignatureInvalid("the signer certificate is not for signatures")
    except x509.ExtensionNotFound:
        pass
    candidates = chain[1:] + roots
    current = leaf
    for _ in range(len(candidates) + 1):
        if not current.not_valid_before_utc <= at <= current.not_valid_after_utc:
            raise SignatureInvalid(f"certificate {current.subject.rfc4514_string()} not valid at {at.isoformat()}")
        if any(current == root for root in roots):
            return
        issuer = next((c for c in candidates if c.subject == current.issuer and _issued_by(current, c)), None)
        if issuer is None:
            raise SignatureInvalid(f"signer certificate {leaf.subject.rfc4514_string()} does not chain to a trusted CA")
        current = issuer
    raise SignatureInvalid("certificate chain too long")


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        constraints = issuer.extensions.get_extension_for_class(x509.BasicConstraints).value
        if not constraints.ca:
            return False
        certificate.verify_directly_issued_by(issuer)
    except (x509.ExtensionNotFound, ValueError, TypeError, InvalidSignature):
        return False
    return True
