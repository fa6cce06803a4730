"""Production points the vault at a time-stamp authority by URL: RFC 3161 over HTTP."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from frontal.pki import PkiPaths, load_certificate, load_private_key
from frontal.tsa import HttpTimeStampClient, LocalTimeStampAuthority, TimeStampError, handle_query
from frontal.vault.keys import load_vault_keys
from frontal.vault.sealing import unsigned_record
from frontal.vault.signature import verify_validation_record


@pytest.fixture
def tsa_url(pki: PkiPaths) -> Iterator[str]:
    authority = LocalTimeStampAuthority(load_private_key(pki.key("tsa")), load_certificate(pki.cert("tsa")))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/broken":
                reply, kind = b"not a time-stamp", "text/plain"
            elif self.path == "/reject":
                reply, kind = handle_query(authority, b"not a query"), "application/timestamp-reply"
            else:
                reply, kind = handle_query(authority, body), "application/timestamp-reply"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_lot_time_stamped_over_http_verifies(pki: PkiPaths, tsa_url: str) -> None:
    import datetime as dt

    keys = load_vault_keys(pki.directory, tsa_url + "/tsa")
    plaintext = b"<Lot>\n<A></A>\n</Lot>"
    record = unsigned_record(date_horodatage=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
                             first_id=0, last_id=0, id_coffre=1, emp_val="0" * 64)
    signed = keys.signer.sign(record, plaintext)
    verified = verify_validation_record(signed.record, plaintext, [load_certificate(pki.cert("ca"))])
    assert verified.gen_time == signed.gen_time


def test_a_broken_or_absent_authority_is_an_error(tsa_url: str) -> None:
    imprint = hashlib.sha256(b"x").digest()
    with pytest.raises(TimeStampError, match="unreadable"):
        HttpTimeStampClient(tsa_url + "/broken").timestamp(imprint)
    with pytest.raises(TimeStampError, match="refused"):
        HttpTimeStampClient(tsa_url + "/reject").timestamp(imprint)
    with pytest.raises(TimeStampError, match="unreachable"):
        HttpTimeStampClient("http://127.0.0.1:9/", timeout=2).timestamp(imprint)
