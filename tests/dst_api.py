"""A stand-in for Danmarks Statistik's StatBank API on 127.0.0.1, for the tests of ``lisite fetch``.

It answers ``/v1/tableinfo`` with the table's variables and ``/v1/data`` with a BULK answer in DST's
documented format (a header of the variable codes in upper case and INDHOLD, ``;`` between fields,
decimal comma, ``..`` for a withheld figure, value codes as asked with ``valuePresentation = "Code"``),
built from the request it received: ``*`` is expanded to every code DST would send, including the
country, regions, unknown municipality and Christiansø, so the recipe's filtering is exercised.
Every request body is recorded, so a test can check what lisite asked.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Callable

from lisite.sampledata.kommuner import KOMMUNER

KOMMUNE_CODES = [str(k.code) for k in KOMMUNER]
REGIONS = ["081", "082", "083", "084", "085"]
EVERY = {  # what "*" means, per variable
    "OMRÅDE": ["000", *REGIONS, "411", *KOMMUNE_CODES],
    "ADMKOM": ["0", "998", *KOMMUNE_CODES],
    "KOMMUNEDK": ["0", *KOMMUNE_CODES],
    "ANBRINGELSE": ["0", "1", "21", "22", "23", "24", "25", "26", "9", "7", "8", "27", "11", "6", "99"],
}
VARIABLES = {
    "FOLK1A": ["OMRÅDE", "KØN", "ALDER", "CIVILSTAND", "Tid"],
    "UND1": ["ADMKOM", "UNDERRETERE", "ALDER1", "KØN", "Tid"],
    "UND2": ["ADMKOM", "UNDERRET", "ALDER1", "KØN", "Tid"],
    "ANBAAR9": ["ADMKOM", "ALERAMS", "Tid"],
    "ANBAAR12": ["ADMKOM", "ANBRINGELSE", "Tid"],
    "ANBAAR13": ["ADMKOM", "FORAN", "Tid"],
    "ISBU02": ["KOMMUNEDK", "INDSATSER", "Tid"],
    "REGK31": ["OMRÅDE", "FUNKTION", "DRANST", "ART", "PRISENHED", "Tid"],
}

Values = Callable[[str, dict[str, str]], str]  # (table, {VARIABLE: code}) -> INDHOLD as DST writes it


def made_up(table: str, cell: dict[str, str]) -> str:
    """A deterministic figure per cell; areas that are not municipalities get huge numbers, so a
    recipe that mixed them in would show it at once."""
    area = next((cell[v] for v in ("OMRÅDE", "ADMKOM", "KOMMUNEDK") if v in cell), "")
    n = int(hashlib.sha256(f"{table}|{sorted(cell.items())}".encode()).hexdigest()[:6], 16)
    if area.lstrip("0") not in KOMMUNE_CODES:
        return str(10_000_000 + n % 1000)
    if table == "REGK31":
        return f"{n % 90000 + 1000},{n % 10}"
    if table == "FOLK1A":
        return str(200 + n % 1800)
    return str(n % 400 + 5)


def tableinfo(table: str) -> dict:
    return {"id": table, "text": f"Tabel {table}", "unit": "Antal", "updated": "2026-11-20T08:00:00",
            "variables": [{"id": v, "text": v.lower(), "time": v == "Tid", "values": []} for v in VARIABLES[table]]}


def bulk(body: dict, values: Values) -> str:
    """The BULK answer to a ``data`` request body."""
    chosen = [(v["code"], EVERY.get(v["code"].upper(), []) if v["values"] == ["*"] else v["values"]) for v in body["variables"]]
    lines = [";".join([code.upper() for code, _ in chosen] + ["INDHOLD"])]
    for combo in itertools.product(*[codes for _, codes in chosen]):
        cell = {code.upper(): value for (code, _), value in zip(chosen, combo)}
        lines.append(";".join([*combo, values(body["table"], cell)]))
    return "\r\n".join(lines) + "\r\n"


class FakeStatBank:
    """``with FakeStatBank(values) as api:`` serves on ``api.url`` (``…/v1``); ``api.bodies`` holds the requests."""

    def __init__(self, values: Values = made_up):
        self.values = values
        self.bodies: list[tuple[str, dict]] = []
        self.refuse: str = ""  # a table whose data request gets HTTP 400
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                outer.bodies.append((self.path, body))
                if self.path.endswith("/tableinfo"):
                    self._send(200, json.dumps(tableinfo(body["table"])), "application/json")
                elif body["table"] == outer.refuse:
                    self._send(400, json.dumps({"errorTypeCode": "EXTRACT-NOTFOUND", "message": "Ukendt værdi"}), "application/json")
                else:
                    self._send(200, bulk(body, outer.values), "text/csv")

            def _send(self, status: int, text: str, kind: str):
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> "FakeStatBank":
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    def data_bodies(self) -> list[dict]:
        return [body for path, body in self.bodies if path.endswith("/data")]
