"""Bare autobahn echo server: the peer the full protocol stack is compared with."""

from __future__ import annotations

import sys

from autobahn.twisted.resource import WebSocketResource
from autobahn.twisted.websocket import WebSocketServerFactory, WebSocketServerProtocol
from twisted.internet import reactor
from twisted.web.resource import Resource
from twisted.web.server import Site


class Echo(WebSocketServerProtocol):
    def onMessage(self, payload: bytes, isBinary: bool) -> None:
        self.sendMessage(payload, isBinary)


def main() -> None:
    factory = WebSocketServerFactory()
    factory.protocol = Echo
    root = Resource()
    root.putChild(b"ws", WebSocketResource(factory))
    port = reactor.listenTCP(0, Site(root), backlog=1024, interface="127.0.0.1")  # type: ignore[attr-defined]
    print(f"ECHO READY ws://127.0.0.1:{port.getHost().port}/ws", flush=True)
    reactor.run()  # type: ignore[attr-defined]


if __name__ == "__main__":
    sys.exit(main())
