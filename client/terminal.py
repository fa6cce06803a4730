"""``croupier play``: an interactive terminal client."""

from __future__ import annotations

import getpass
import json
import shlex
import sys
from typing import Any

from client.blocking import BlockingClient
from client.bot import ServerError

HELP = """Commands:
  register LOGIN PSEUDO     create a login (asks for a password)
  login LOGIN               open a session (asks for the password)
  logout                    close the session
  lobby                     what the server offers
  notices                   show notices received and not yet acknowledged
  ack NOTICE_ID             acknowledge a notice
  ping                      round trip to the server
  help                      this text
  quit                      leave
"""


class Terminal:
    def __init__(self, client: BlockingClient) -> None:
        self.client = client
        self.notices: dict[int, dict[str, Any]] = {}

    def drain(self) -> None:
        while not self.client.messages.empty():
            message = self.client.messages.get_nowait()
            if message.get("type") == "notice":
                self.notices[message["notice_id"]] = message
                print(f"\n[notice {message['notice_id']}] {message['kind']}: {json.dumps(message['data'])}"
                      f"\n  (answer with: ack {message['notice_id']})")
            elif message.get("type") == "error":
                print(f"\n[server] {message['code']}: {message['message']}")

    def run_command(self, words: list[str]) -> bool:
        command, rest = words[0].lower(), words[1:]
        if command in ("quit", "exit"):
            return False
        if command == "help":
            print(HELP)
        elif command == "register" and len(rest) == 2:
            password = getpass.getpass("password (8 characters or more): ")
            data = self.client.call("register", login=rest[0], pseudo=rest[1], password=password)
            print(f"registered as {data['pseudo']} (player {data['player_id']}); now: login {rest[0]}")
        elif command == "login" and len(rest) == 1:
            data = self.client.call("login", login=rest[0], password=getpass.getpass("password: "))
            print(f"welcome {data['pseudo']}; {data['pending_notices']} notice(s) waiting")
        elif command == "logout" and not rest:
            self.client.call("logout")
            print("logged out")
        elif command == "lobby" and not rest:
            data = self.client.call("lobby")
            print(f"you are {data['player']['pseudo']}")
            if not any(data["offer"].values()) if data["offer"] else True:
                print("nothing on offer right now")
            for section, items in data["offer"].items():
                print(f"{section}: {json.dumps(items, indent=2)}")
        elif command == "notices" and not rest:
            if not self.notices:
                print("no notice waiting")
            for nid, notice in sorted(self.notices.items()):
                print(f"{nid}: {notice['kind']} {json.dumps(notice['data'])}")
        elif command == "ack" and len(rest) == 1 and rest[0].isdigit():
            self.client.call("ack", notice_id=int(rest[0]))
            self.notices.pop(int(rest[0]), None)
            print(f"notice {rest[0]} acknowledged")
        elif command == "ping" and not rest:
            self.client.call("ping")
            print("pong")
        else:
            print(f"not understood: {' '.join(words)!r}; type help")
        return True


def run_terminal(url: str) -> int:
    try:
        client = BlockingClient(url)
        welcome = client.hello()
    except Exception as exc:
        print(f"cannot reach the server at {url}: {exc}", file=sys.stderr)
        return 1
    print(f"connected to {welcome['server']} (protocol {welcome['protocol']}). Type help.")
    terminal = Terminal(client)
    while True:
        terminal.drain()
        try:
            line = input("croupier> ")
        except (EOFError, KeyboardInterrupt):
            print()
            break
        terminal.drain()
        try:
            words = shlex.split(line)
        except ValueError as exc:
            print(f"cannot read that line: {exc}")
            continue
        if not words:
            continue
        try:
            if not terminal.run_command(words):
                break
        except ServerError as exc:
            print(f"refused: {exc.code}: {exc.reply.get('message')}")
        except Exception as exc:
            print(f"connection problem: {exc}")
            return 1
    client.close()
    return 0
