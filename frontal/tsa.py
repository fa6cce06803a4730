"""RFC 3161 time-stamps: a local authority for staging, an HTTP client for production.

The vault time-stamps each lot's signature value (XAdES-T). Staging has no real TSA, so
:class:`LocalTimeStampAuthority` issues genuine RFC 3161 tokens (CMS SignedData over a
TSTInfo, ESS signing-certificate-v2 attribute, RSA-SHA256) with its own certificate from
``croupier pki init``; ``openssl ts -verify`` and rfc3161-client accept them.
:class:`HttpTimeStampClient` speaks the RFC 3161 HTTP transport to a configured URL. Both
run on the sealer thread, never on the reactor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import urllib.error
import urllib.request
from typing import Callable, Protocol

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from rfc3161_client import decode_timestamp_response
from rfc3161_client.tsp import PKIStatus

#: Staging policy: an OID under the UUID arc (2.25), which anyone may use without registration.
STAGING_POLICY = "2.25.207001377542394735398632290226497212917"


class TimeStampError(RuntimeError):
    pass


class TimeStamper(Protocol):
    def timestamp(self, imprint: bytes) -> bytes:
        """Return the DER TimeStampToken (a CMS ContentInfo) over a SHA-256 imprint."""


def _der(tag: int, content: bytes) -> bytes:
    length = len(content)
    if length < 0x80:
        return bytes((tag, length)) + content
    size = (length.bit_length() + 7) // 8
    return bytes((tag, 0x80 | size)) + length.to_bytes(size, "big") + content


class LocalTimeStampAuthority:
    """Issues tokens with the constant parts of the CMS structure encoded once.

    asn1crypto re-encodes a certificate each time it is placed in a new structure (about
    20 ms a token) and builds its objects slowly; the vault asks for one token per lot, so
    the token is assembled here from pieces asn1crypto encoded once, and the few variable
    values (imprint, serial number, dates, digests) are encoded in DER directly.
    """

    def __init__(self, key: rsa.RSAPrivateKey, certificate: x509.Certificate,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> None:
        self._key = key
        self._clock = clock
        der = certificate.public_bytes(serialization.Encoding.DER)
        parsed = asn1_x509.Certificate.load(der)
        sha256 = algos.DigestAlgorithm({"algorithm": "sha256"}).dump()
        self._digest_algorithms = _der(0x31, sha256)
        self._certificates = _der(0xA0, der)
        self._signer_prefix = (
            cms.CMSVersion("v1").dump()
            + cms.IssuerAndSerialNumber({"issuer": parsed.issuer, "serial_number": parsed.serial_number}).dump()
            + sha256)
        self._signature_algorithm = algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}).dump()
        self._fixed_attributes = [
            cms.CMSAttribute({"type": "content_type", "values": ["tst_info"]}).dump(),
            cms.CMSAttribute({"type": "signing_certificate_v2",
                              "values": [{"certs": [{"cert_hash": hashlib.sha256(der).digest()}]}]}).dump(),
        ]
        self._tst_info_type = core.ObjectIdentifier("1.2.840.113549.1.9.16.1.4").dump()
        self._signed_data_type = core.ObjectIdentifier("1.2.840.113549.1.7.2").dump()
        self._signed_data_version = core.Integer(3).dump()
        # TSTInfo and the two variable attributes, around their variable parts (imprint,
        # serial number, dates, digest): DER, byte for byte what asn1crypto writes
        # (tests/frontal_sealing/test_tsa_encoding.py compares them).
        self._tst_head = core.Integer(1).dump() + core.ObjectIdentifier(STAGING_POLICY).dump()
        dummy = bytes(32)
        imprint = tsp.MessageImprint({"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": dummy}).dump()
        if not imprint.endswith(_der(0x04, dummy)):
            raise TimeStampError("unexpected MessageImprint encoding")
        self._imprint_head = imprint[:-len(_der(0x04, dummy))]  # SEQUENCE header (fixed length) + algorithm
        self._accuracy = tsp.Accuracy({"seconds": 1}).dump()
        self._signing_time_type = core.ObjectIdentifier("1.2.840.113549.1.9.5").dump()
        self._message_digest_type = core.ObjectIdentifier("1.2.840.113549.1.9.4").dump()

    def response(self, imprint: bytes, nonce: int | None = None) -> bytes:
        """A DER TimeStampResp granting a token over ``imprint`` (SHA-256)."""
        status = _der(0x30, core.Integer(0).dump())
        return _der(0x30, status + self._token(imprint, nonce))

    def timestamp(self, imprint: bytes) -> bytes:
        return self._token(imprint, None)

    def _token(self, imprint: bytes, nonce: int | None) -> bytes:
        if len(imprint) != 32:
            raise TimeStampError("the imprint must be a SHA-256 digest")
        gen_time = self._clock().astimezone(dt.timezone.utc)
        if not 1950 <= gen_time.year <= 2049:
            raise TimeStampError("signing-time is a UTCTime: years 1950 to 2049")
        tst = [self._tst_head, self._imprint_head + _der(0x04, imprint), _der_integer(secrets.randbits(63) + 1),
               _der(0x18, _generalized_time(gen_time)), self._accuracy]
        if nonce is not None:
            tst.append(_der_integer(nonce))
        tst_der = _der(0x30, b"".join(tst))
        attributes = self._fixed_attributes + [
            _der(0x30, self._signing_time_type + _der(0x31, _der(0x17, gen_time.strftime("%y%m%d%H%M%SZ").encode()))),
            _der(0x30, self._message_digest_type + _der(0x31, _der(0x04, hashlib.sha256(tst_der).digest()))),
        ]
        attributes_content = b"".join(sorted(attributes))  # DER: a SET OF is sorted by encoding
        # The signature covers the attributes as a SET OF; the SignerInfo carries them [0] IMPLICIT.
        signature = self._key.sign(_der(0x31, attributes_content), padding.PKCS1v15(), hashes.SHA256())
        signer_info = _der(0x30, self._signer_prefix + _der(0xA0, attributes_content)
                           + self._signature_algorithm + _der(0x04, signature))
        encapsulated = _der(0x30, self._tst_info_type + _der(0xA0, _der(0x04, tst_der)))
        signed_data = _der(0x30, self._signed_data_version + self._digest_algorithms + encapsulated
                           + self._certificates + _der(0x31, signer_info))
        return _der(0x30, self._signed_data_type + _der(0xA0, signed_data))


def _der_integer(value: int) -> bytes:
    """A non-negative INTEGER, minimal two's complement (a leading 0 when the top bit is set)."""
    if value < 0:
        raise TimeStampError("negative serial number or nonce")
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _generalized_time(at: dt.datetime) -> bytes:
    """YYYYMMDDHHMMSS[.fff]Z, the fraction without trailing zeros (DER), as asn1crypto writes it."""
    text = "%04d%02d%02d%02d%02d%02d" % (at.year, at.month, at.day, at.hour, at.minute, at.second)
    if at.microsecond:
        text += "." + str(at.microsecond).zfill(6).rstrip("0")
    return (text + "Z").encode()


class HttpTimeStampClient:
    """RFC 3161 over HTTP (``application/timestamp-query``), with a nonce checked on return."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        self._url = url
        self._timeout = timeout

    def timestamp(self, imprint: bytes) -> bytes:
        query = _request_for_imprint(imprint)
        http = urllib.request.Request(self._url, data=query.dump(), method="POST",
                                      headers={"Content-Type": "application/timestamp-query"})
        try:
            with urllib.request.urlopen(http, timeout=self._timeout) as reply:
                body = reply.read(1 << 20)
        except (urllib.error.URLError, OSError) as exc:
            raise TimeStampError(f"time-stamp authority {self._url} unreachable: {exc}") from exc
        try:
            response = decode_timestamp_response(body)
        except ValueError as exc:
            raise TimeStampError(f"time-stamp authority {self._url} sent an unreadable reply") from exc
        if PKIStatus(response.status) not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
            raise TimeStampError(f"time-stamp authority refused: {response.status_string}")
        if response.tst_info.nonce != query["nonce"].native:
            raise TimeStampError("time-stamp reply does not carry our nonce")
        if response.tst_info.message_imprint.message != imprint:
            raise TimeStampError("time-stamp reply covers another imprint")
        return response.time_stamp_token()


def _request_for_imprint(imprint: bytes) -> tsp.TimeStampReq:
    return tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": imprint},
        "nonce": secrets.randbits(63) + 1,
        "cert_req": True,
    })


def response_from_token(token: bytes) -> bytes:
    """Wrap a bare token in a granted TimeStampResp: the form rfc3161-client verifies."""
    return tsp.TimeStampResp({"status": {"status": "granted"},
                              "time_stamp_token": cms.ContentInfo.load(token)}).dump()


def handle_query(authority: LocalTimeStampAuthority, body: bytes) -> bytes:
    """Answer an RFC 3161 HTTP query (for a staging TSA served over HTTP)."""
    try:
        query = tsp.TimeStampReq.load(body)
        imprint = query["message_imprint"]
        if imprint["hash_algorithm"]["algorithm"].native != "sha256":
            raise ValueError("only SHA-256 imprints")
        nonce = query["nonce"].native
        return authority.response(imprint["hashed_message"].native, nonce)
    except (ValueError, KeyError, TimeStampError):
        # PKIStatusInfo {rejection(2), failInfo badRequest(bit 2)}; asn1crypto insists on a token.
        return _der(0x30, _der(0x30, bytes.fromhex("020102") + bytes.fromhex("03020520")))
