"""A local stand-in for arXiv, doi.org, Crossref, DataCite, dblp, OpenReview, OpenAlex,
Semantic Scholar and ORCID: a server on 127.0.0.1 that answers each path with the response
a test gives it (status, headers, body), records the requests, and is pointed at by every
``PORTFOLIO_*_URL`` variable, so the commands talk to nothing else."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

VARIABLES = ("PORTFOLIO_ARXIV_URL", "PORTFOLIO_DOI_URL", "PORTFOLIO_CROSSREF_URL", "PORTFOLIO_DATACITE_URL",
             "PORTFOLIO_DBLP_URL", "PORTFOLIO_OPENREVIEW_URL", "PORTFOLIO_OPENALEX_URL", "PORTFOLIO_S2_URL",
             "PORTFOLIO_ORCID_URL")  # fmt: skip


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow service)
    trickle: float = 0.0  # seconds between two bytes of the body (a service that stalls mid-answer)
    trickle_headers: bool = False  # the status line and headers a byte at a time too
    length: int | None = None  # a Content-Length other than the body's (a truncated answer; -1: none)


@dataclass
class Services:
    url: str
    replies: dict[str, list[Reply]]
    requests: list[tuple[str, dict[str, str], float]]

    def reply(self, path: str, *replies: Reply) -> None:
        """What ``path`` (with its query) answers, in turn; the last one from then on."""
        self.replies[path] = list(replies)


@contextmanager
def services(monkeypatch: Any) -> Iterator[Services]:
    state = Services("", {}, [])
    stop = threading.Event()  # ends a trickle when the test is over

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers), time.monotonic()))
            queue = state.replies.get(self.path)
            if not queue:
                reply = Reply(404, b"not found by the test server")
            else:  # in turn, the last one from then on
                reply = queue.pop(0) if len(queue) > 1 else queue[0]
            if reply.delay:
                time.sleep(reply.delay)
            body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            try:
                if reply.trickle_headers:
                    head = f"HTTP/1.1 {reply.status} OK\r\nContent-Type: {reply.content_type}\r\n\r\n"
                    self._slowly(head.encode(), reply.trickle)
                    self._slowly(body, reply.trickle)
                    return
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if reply.length != -1:  # -1: no length, the body ends when the connection closes
                    self.send_header(
                        "Content-Length", str(len(body) if reply.length is None else reply.length)
                    )
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.trickle:
                    self._slowly(body, reply.trickle)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def _slowly(self, data: bytes, pause: float) -> None:
            for i in range(len(data)):
                if stop.wait(pause):
                    return
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    for variable in VARIABLES:
        monkeypatch.setenv(variable, state.url)
    try:
        yield state
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
