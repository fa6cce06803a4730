"""The vault's key material, loaded once from the PKI directory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from frontal.pki import PkiError, PkiPaths, load_certificate, load_private_key
from frontal.tsa import HttpTimeStampClient, LocalTimeStampAuthority, TimeStamper
from frontal.vault.signature import LotSigner


@dataclass(frozen=True)
class VaultKeys:
    signer: LotSigner
    recipient: rsa.RSAPublicKey  # the regulator's encryption key


def _rsa_private(path: Path) -> rsa.RSAPrivateKey:
    key = load_private_key(path)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise PkiError(f"{path}: the vault signs with RSA keys")
    return key


def load_vault_keys(directory: Path, tsa_url: str = "") -> VaultKeys:
    """Signing key and chain, a time-stamper (the URL's, else the local staging TSA), and
    the regulator's encryption certificate."""
    paths = PkiPaths(directory)
    stamper: TimeStamper
    if tsa_url:
        stamper = HttpTimeStampClient(tsa_url)
    else:
        stamper = LocalTimeStampAuthority(_rsa_private(paths.key("tsa")), load_certificate(paths.cert("tsa")))
    signer = LotSigner(_rsa_private(paths.key("vault-signing")), [load_certificate(paths.cert("vault-signing"))],
                       stamper)
    recipient = load_certificate(paths.cert("regulator-encryption")).public_key()
    if not isinstance(recipient, rsa.RSAPublicKey):
        raise PkiError("the regulator's encryption certificate must hold an RSA key (RSA-OAEP)")
    return VaultKeys(signer, recipient)
