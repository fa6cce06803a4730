"""The local TSA encodes TSTInfo and its signed attributes in DER by hand: byte for byte
what asn1crypto writes for the same values (the reference below is the former code)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

import pytest
from asn1crypto import cms, tsp
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from frontal import tsa
from frontal.pki import PkiPaths, load_certificate, load_private_key
from frontal.tsa import STAGING_POLICY, LocalTimeStampAuthority, _der


def reference_token(authority: LocalTimeStampAuthority, imprint: bytes, nonce: int | None, serial: int,
                    gen_time: dt.datetime) -> bytes:
    info: dict[str, object] = {
        "version": "v1",
        "policy": STAGING_POLICY,
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": imprint},
        "serial_number": serial,
        "gen_time": gen_time,
        "accuracy": {"seconds": 1},
    }
    if nonce is not None:
        info["nonce"] = nonce
    tst_der = tsp.TSTInfo(info).dump()
    attributes = authority._fixed_attributes + [
        cms.CMSAttribute({"type": "signing_time", "values": [cms.Time({"utc_time": gen_time})]}).dump(),
        cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]}).dump(),
    ]
    content = b"".join(sorted(attributes))
    signature = authority._key.sign(_der(0x31, content), padding.PKCS1v15(), hashes.SHA256())
    signer_info = _der(0x30, authority._signer_prefix + _der(0xA0, content) + authority._signature_algorithm
                       + _der(0x04, signature))
    encapsulated = _der(0x30, authority._tst_info_type + _der(0xA0, _der(0x04, tst_der)))
    signed_data = _der(0x30, authority._signed_data_version + authority._digest_algorithms + encapsulated
                       + authority._certificates + _der(0x31, signer_info))
    return _der(0x30, authority._signed_data_type + _der(0xA0, signed_data))


def test_tokens_are_asn1crypto_s_encoding(pki: PkiPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    chance = random.Random(7)
    now: list[dt.datetime] = []
    authority = LocalTimeStampAuthority(load_private_key(pki.key("tsa")), load_certificate(pki.cert("tsa")),
                                        clock=lambda: now[-1])
    serials: list[int] = []

    def randbits(bits: int) -> int:
        serials.append(chance.choice([0, 1, 126, 127, 128, 255, 256, (1 << 63) - 1, chance.getrandbits(bits)]))
        return serials[-1]

    monkeypatch.setattr(tsa.secrets, "randbits", randbits)
    paris = dt.timezone(dt.timedelta(hours=1))
    for n in range(300):
        micro = chance.choice([0, 1, 10, 500000, 999999, 120000, chance.randrange(1_000_000)])
        at = dt.datetime(chance.randint(1950, 2049), chance.randint(1, 12), chance.randint(1, 28),
                         chance.randint(0, 23), chance.randint(0, 59), chance.randint(0, 59), micro,
                         tzinfo=chance.choice([dt.timezone.utc, paris]))
        if not 1950 <= at.astimezone(dt.timezone.utc).year <= 2049:
            continue
        now.append(at)
        imprint = chance.randbytes(32)
        nonce = chance.choice([None, 0, 1, 128, chance.getrandbits(64)])
        token = authority._token(imprint, nonce)
        expected = reference_token(authority, imprint, nonce, serials[-1] + 1, at.astimezone(dt.timezone.utc))
        assert token == expected, f"case {n}: {at.isoformat()} nonce {nonce} serial {serials[-1] + 1}"
