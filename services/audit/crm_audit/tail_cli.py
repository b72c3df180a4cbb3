"""`crm-audit tail [-f] [--json] [filters]`: the audit log from a shell, one line per change, like `tail -f`.

It reads through the gateway as any client does: with the token in `CRM_TOKEN`, or after asking
for a username and password (`POST /auth/token`). Without `-f` it prints the latest entries and
exits; with `-f` it then follows `GET /audit/stream`, resuming after the last entry it printed
(`Last-Event-ID`) whenever the connection ends, so nothing is missed or printed twice.
"""
from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
import time
from http.client import HTTPConnection, HTTPException, HTTPResponse, HTTPSConnection
from typing import Any, Callable, Iterator, TextIO
from urllib.parse import urlencode, urlsplit

import requests

DEFAULT_GATEWAY = "http://127.0.0.1:8080"
API = "/api/v1"
#: the stream sends a keep-alive every 5 s: this long without a byte means the connection is gone
READ_TIMEOUT = 30.0
RECONNECT_SECONDS = 2.0
#: each filter's flag and its query parameter of `/audit/entries` and `/audit/stream`
FILTERS = (("from", "from"), ("to", "to"), ("user-id", "user_id"), ("object-type", "object_type"),
           ("object-id", "object_id"), ("operation", "operation"))


class TailError(Exception):
    """A refusal worth a message and exit status 1 (bad credentials, not an admin, a bad filter)."""


# --- one readable line per change ------------------------------------------------------------

def value_text(value: Any) -> str:
    """A field's value on one line: text as it is, nothing as `∅`, anything else (or multi-line text) as JSON."""
    if value is None:
        return "∅"
    if isinstance(value, str) and value and value.isprintable():
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def lines(entry: dict[str, Any]) -> list[str]:
    """Return the lines of one entry: `time user operation object field: before → after`, one per changed field;
    the user is followed by the channel in parentheses when it is not `api` (`Eva (automation)`)."""
    moment = str(entry["occurred_at"]).replace("+00:00", "Z")
    user = (entry.get("user") or {}).get("name") or (entry.get("user") or {}).get("id") or "?"
    channel = entry.get("channel") or "api"
    via = "" if channel == "api" else f" ({value_text(channel)})"
    name = entry.get("object_name")
    target = f"{entry['object_type']} {value_text(name) if name else entry['object_id']}"
    head = f"{moment} {value_text(user)}{via} {entry['operation']} {target}"
    changes = entry.get("changes") or []
    if not changes:
        return [head]
    return [f"{head} {change['field']}: {value_text(change.get('before'))} → {value_text(change.get('after'))}"
            for change in changes]


def render(entry: dict[str, Any], as_json: bool) -> list[str]:
    """Return what to print for an entry: its readable lines, or the entry as one JSON line."""
    if as_json:
        return [json.dumps(entry, ensure_ascii=False, separators=(",", ":"))]
    return lines(entry)


# --- reading the gateway --------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="crm-audit tail", description="Print the audit log, one line per change.")
    parser.add_argument("-f", "--follow", action="store_true", help="keep printing new changes as they are made")
    parser.add_argument("--json", action="store_true", help="print each entry as one JSON line")
    parser.add_argument("-n", "--lines", type=int, default=10, metavar="N",
                        help="how many of the latest entries to print first (default 10; 0 for none)")
    for flag, _ in FILTERS:
        parser.add_argument(f"--{flag}", metavar=flag.upper().replace("-", "_"),
                            help=f"only entries with this {flag}" if flag not in ("from", "to")
                            else "entries at or after this time (RFC 3339)" if flag == "from"
                            else "entries before this time (RFC 3339)")
    args = parser.parse_args(argv)
    if args.lines < 0 or args.lines > 100:
        parser.error("-n must be between 0 and 100")
    return args


def filters_of(args: argparse.Namespace) -> dict[str, str]:
    """The query parameters of the filters given as flags."""
    return {name: value for flag, name in FILTERS if (value := getattr(args, flag.replace("-", "_"))) is not None}


def token_from(gateway: str, environ: dict[str, str], ask: Callable[[str], str], ask_secret: Callable[[str], str]) -> str:
    """Return the caller's token: `CRM_TOKEN`, or one the gateway issues for a username and password."""
    token = environ.get("CRM_TOKEN", "").strip()
    if token:
        return token
    username = ask("Username: ").strip()
    password = ask_secret("Password: ")
    answer = requests.post(f"{gateway}{API}/auth/token", json={"username": username, "password": password}, timeout=10)
    if answer.status_code != 200:
        raise TailError(f"login refused: {_problem(answer.status_code, answer.text)}")
    return str(answer.json()["access_token"])


def latest(gateway: str, token: str, filters: dict[str, str], count: int) -> list[dict[str, Any]]:
    """The latest `count` entries matching the filters, oldest first."""
    if count == 0:
        return []
    answer = requests.get(f"{gateway}{API}/audit/entries", params={**filters, "limit": count},
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if answer.status_code != 200:
        raise TailError(_problem(answer.status_code, answer.text))
    return list(reversed(answer.json()["items"]))


class EventStream:
    """`GET /audit/stream` read one `entry` event at a time: (id, entry)."""

    def __init__(self, gateway: str, token: str, filters: dict[str, str], last_id: str | None) -> None:
        parts = urlsplit(gateway)
        kind = HTTPSConnection if parts.scheme == "https" else HTTPConnection
        self.connection = kind(parts.hostname or "127.0.0.1", parts.port, timeout=READ_TIMEOUT)
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_id is not None:
            headers["Last-Event-ID"] = last_id
        query = f"?{urlencode(filters)}" if filters else ""
        self.connection.request("GET", f"{parts.path.rstrip('/')}{API}/audit/stream{query}", headers=headers)
        self.response: HTTPResponse = self.connection.getresponse()
        if self.response.status != 200:
            status, body = self.response.status, self.response.read().decode("utf-8", "replace")
            self.close()
            raise (TailError if status < 500 else ConnectionError)(_problem(status, body))

    def __iter__(self) -> Iterator[tuple[str | None, dict[str, Any] | None]]:
        """Yield (id, entry) per entry, and (id, None) for an id alone (where the stream starts)."""
        event: dict[str, str] = {}
        while True:
            raw = self.response.readline()
            if not raw:
                return
            line = raw.decode("utf-8").rstrip("\r\n")
            if line == "":
                if event.get("event") == "entry" and "data" in event:
                    yield event.get("id"), json.loads(event["data"])
                elif "id" in event and "data" not in event:
                    yield event["id"], None
                event = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                event[name] = value.removeprefix(" ")

    def close(self) -> None:
        self.connection.close()


def _problem(status: int, body: str) -> str:
    try:
        detail = json.loads(body)
        text = detail.get("detail") or detail.get("title") or body
        if detail.get("errors"):
            text += " " + json.dumps(detail["errors"], ensure_ascii=False)
    except (ValueError, AttributeError):
        text = body.strip()[:200]
    return f"{status} {text}"


def run(args: argparse.Namespace, gateway: str, token: str, out: TextIO) -> None:
    """Print the latest entries, then (with -f) follow the stream until interrupted."""
    filters = filters_of(args)
    stream = EventStream(gateway, token, filters, None) if args.follow else None  # open first: no gap after the list
    printed: set[str] = set()
    for entry in latest(gateway, token, filters, args.lines):
        printed.add(entry["id"])
        for line in render(entry, args.json):
            print(line, file=out, flush=True)
    if stream is None:
        return
    last_id: str | None = None
    while True:
        try:
            assert stream is not None
            for event_id, entry in stream:
                last_id = event_id or last_id
                if entry is None or entry["id"] in printed:
                    continue
                for line in render(entry, args.json):
                    print(line, file=out, flush=True)
            stream.close()  # the server ended the stream (its lifetime): resume where it was
        except (OSError, HTTPException, ConnectionError):
            if stream is not None:
                stream.close()
            time.sleep(RECONNECT_SECONDS)
        stream = None
        while stream is None:
            try:
                stream = EventStream(gateway, token, filters, last_id)
            except (OSError, HTTPException, ConnectionError):
                time.sleep(RECONNECT_SECONDS)


def _ask(prompt: str) -> str:
    """Ask on stderr, so that what is printed on stdout stays entries only (`--json | jq`)."""
    print(prompt, end="", file=sys.stderr, flush=True)
    return input()


def main(argv: list[str] | None = None, *, environ: dict[str, str] | None = None, out: TextIO | None = None) -> int:
    """Run `crm-audit tail`; return the exit status."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ) if environ is None else environ
    gateway = (environ.get("CRM_GATEWAY_URL") or DEFAULT_GATEWAY).rstrip("/")
    try:
        token = token_from(gateway, environ, _ask, getpass.getpass)
        run(args, gateway, token, out or sys.stdout)
    except TailError as error:
        print(f"crm-audit tail: {error}", file=sys.stderr)
        return 1
    except (OSError, requests.RequestException, socket.timeout) as error:
        print(f"crm-audit tail: cannot reach the gateway at {gateway}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
