"""Staging keys and certificates (annex 3.1.3.b), created by ``croupier pki init``.

A staging platform needs every party of the annex's certificate list without a real
PKI: a CA, the vault's signing certificate, a time-stamp authority certificate (critical
EKU timeStamping, which RFC 3161 verifiers insist on), the regulator's encryption
certificate with its private key (the auditor's half, encrypted under a passphrase kept in
a separate file), and TLS server and client certificates for the vault web service.
Production replaces these files with the operator's and the regulator's; nothing else in
Croupier creates keys.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = dt.timedelta(days=3650)


class PkiError(ValueError):
    pass


@dataclass(frozen=True)
class PkiPaths:
    directory: Path

    def cert(self, name: str) -> Path:
        return self.directory / f"{name}.pem"

    def key(self, name: str) -> Path:
        return self.directory / f"{name}.key"

    @property
    def regulator_passphrase(self) -> Path:
        return self.directory / "regulator-encryption.passphrase"

    @property
    def complete(self) -> bool:
        names = ("ca", "vault-signing", "tsa", "regulator-encryption", "tls-server", "tls-client")
        return all(self.cert(n).exists() for n in names) and self.regulator_passphrase.exists()


def _name(common_name: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Croupier staging"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _key_pem(key: rsa.RSAPrivateKey, passphrase: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption())
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _issue(subject: x509.Name, public_key: rsa.RSAPublicKey, issuer: x509.Name, issuer_key: rsa.RSAPrivateKey,
           *, now: dt.datetime, ca: bool, key_usage: dict[str, bool], eku: list[x509.ObjectIdentifier] | None = None,
           eku_critical: bool = False, san: list[x509.GeneralName] | None = None) -> x509.Certificate:
    usage = {name: False for name in ("digital_signature", "content_commitment", "key_encipherment",
                                      "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign")}
    usage.update(key_usage)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=eku_critical)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def init_pki(directory: Path, *, hostname: str = "localhost", force: bool = False,
             now: dt.datetime | None = None) -> PkiPaths:
    """Create the staging PKI in ``directory``; refuse to overwrite unless ``force``."""
    paths = PkiPaths(directory)
    if paths.cert("ca").exists() and not force:
        raise PkiError(f"{directory} already holds a PKI (use --force to replace it)")
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    now = now or dt.datetime.now(dt.timezone.utc)

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    ca_name = _name("Croupier staging CA")
    ca_cert = _issue(ca_name, ca_key.public_key(), ca_name, ca_key, now=now, ca=True,
                     key_usage={"key_cert_sign": True, "crl_sign": True})
    _write_private(paths.key("ca"), _key_pem(ca_key))
    paths.cert("ca").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))

    localhost = [x509.DNSName(hostname), x509.DNSName("localhost")]
    leaves: list[tuple[str, int, dict[str, bool], list[x509.ObjectIdentifier] | None, bool, list[x509.GeneralName] | None]] = [
        ("vault-signing", 2048, {"digital_signature": True, "content_commitment": True}, None, False, None),
        ("tsa", 2048, {"digital_signature": True, "content_commitment": True},
         [ExtendedKeyUsageOID.TIME_STAMPING], True, None),
        ("regulator-encryption", 3072, {"key_encipherment": True}, None, False, None),
        ("tls-server", 2048, {"digital_signature": True, "key_encipherment": True},
         [ExtendedKeyUsageOID.SERVER_AUTH], False, localhost),
        ("tls-client", 2048, {"digital_signature": True}, [ExtendedKeyUsageOID.CLIENT_AUTH], False, None),
    ]
    passphrase = secrets.token_urlsafe(24).encode()
    for name, bits, usage, eku, eku_critical, san in leaves:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        cert = _issue(_name(f"Croupier staging {name}"), key.public_key(), ca_name, ca_key, now=now, ca=False,
                      key_usage=usage, eku=eku, eku_critical=eku_critical, san=san)
        secret = passphrase if name == "regulator-encryption" else None
        _write_private(paths.key(name), _key_pem(key, secret))
        paths.cert(name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    _write_private(paths.regulator_passphrase, passphrase + b"\n")
    return paths


def load_certificate(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PkiError(f"cannot read certificate {path}: {exc}") from exc


def load_certificates(path: Path) -> list[x509.Certificate]:
    try:
        certificates = x509.load_pem_x509_certificates(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise PkiError(f"cannot read certificates {path}: {exc}") from exc
    return certificates


def load_private_key(path: Path, passphrase: bytes | None = None) -> PrivateKeyTypes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PkiError(f"cannot read private key {path}: {exc}") from exc
    try:
        return serialization.load_pem_private_key(data, password=passphrase)
    except TypeError as exc:  # encrypted without passphrase, or the reverse
        raise PkiError(f"private key {path}: {exc}") from exc
    except ValueError as exc:
        raise PkiError(f"private key {path} cannot be loaded (wrong passphrase or not a PEM key)") from exc
