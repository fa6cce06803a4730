"""The sealed form of a lot: compressed, then AES-256-GCM under a fresh key wrapped with
RSA-OAEP (SHA-256) for the regulator's encryption certificate (SPEC-NOTES 3).

The associated data binds the ciphertext to its place in the vault (IDCoffre, first and
last IDEvt), so a ciphertext copied into another lot's slot fails authentication.
"""

from __future__ import annotations

import secrets
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORMAT = b"croupier-lot/1"
MAX_PLAINTEXT = 64 << 20  # a lot of 100 events is a few tens of KiB; refuse decompression bombs


class EnvelopeError(ValueError):
    pass


@dataclass(frozen=True)
class Envelope:
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes


def _oaep() -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def associated_data(id_coffre: int, first_id: int, last_id: int) -> bytes:
    return b"%s|%d|%d|%d" % (FORMAT, id_coffre, first_id, last_id)


def seal(plaintext: bytes, recipient: rsa.RSAPublicKey, aad: bytes) -> Envelope:
    key = secrets.token_bytes(32)
    nonce = secrets.token_bytes(12)
    ciphertext = AESGCM(key).encrypt(nonce, zlib.compress(plaintext, 6), aad)
    return Envelope(recipient.encrypt(key, _oaep()), nonce, ciphertext)


def open_envelope(envelope: Envelope, private_key: rsa.RSAPrivateKey, aad: bytes) -> bytes:
    try:
        key = private_key.decrypt(envelope.wrapped_key, _oaep())
    except ValueError as exc:
        raise EnvelopeError("the wrapped key does not decrypt with the regulator's key") from exc
    if len(key) != 32 or len(envelope.nonce) != 12:
        raise EnvelopeError("the wrapped key or nonce has the wrong size")
    try:
        compressed = AESGCM(key).decrypt(envelope.nonce, envelope.ciphertext, aad)
    except InvalidTag as exc:
        raise EnvelopeError("the ciphertext fails authentication (altered, or moved from another lot)") from exc
    inflater = zlib.decompressobj()
    try:
        plaintext = inflater.decompress(compressed, MAX_PLAINTEXT)
    except zlib.error as exc:
        raise EnvelopeError(f"the compressed lot is corrupt: {exc}") from exc
    if inflater.unconsumed_tail or not inflater.eof:
        raise EnvelopeError("the lot is truncated or larger than the limit")
    return plaintext
