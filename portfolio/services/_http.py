"""The one network policy of every command that reads a service (``add``, ``refresh``,
``metrics``, ``discover``).

Data from a service is hostile until checked:

- **a deadline for the whole request**: connecting, the headers and the body together end
  within :data:`DEADLINE` seconds, however slowly the answer trickles in (a timeout per read,
  as urllib3's, never ends a server that sends a byte a second);
- **a cap on the body after decoding**: at most :data:`MAX_BODY` bytes, counted as they are
  inflated, so that neither a huge answer nor a small gzip bomb fills the memory;
- **retries** of 429 and 5xx, honouring ``Retry-After`` when it is short enough, with a
  ``User-Agent`` that names the project and a contact;
- **each service's address replaceable** by an environment variable (a mirror, or the
  tests' local server), and redirects followed only to the services' own addresses;
- **every failure one line** (:class:`SourceError`), naming the identifier and what to do.

JSON is parsed by :func:`parse_json` and XML by :func:`parse_xml`: a nesting too deep for
the parser, a truncated or malformed document is one line, never a traceback, and XML is
never read leniently.
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
import xml.etree.ElementTree as ET
import zlib
from typing import Any
from urllib.parse import urlsplit, urlunsplit

#: service -> (environment variable, public scheme://host, seconds between two requests)
SERVICES = {
    "arxiv": ("PORTFOLIO_ARXIV_URL", "https://export.arxiv.org", 3.0),
    "doi": ("PORTFOLIO_DOI_URL", "https://doi.org", 0.0),
    "crossref": ("PORTFOLIO_CROSSREF_URL", "https://api.crossref.org", 0.0),
    "datacite": ("PORTFOLIO_DATACITE_URL", "https://api.datacite.org", 0.0),
    "dblp": ("PORTFOLIO_DBLP_URL", "https://dblp.org", 1.0),
    "openreview": ("PORTFOLIO_OPENREVIEW_URL", "https://api2.openreview.net", 1.0),
    "openalex": ("PORTFOLIO_OPENALEX_URL", "https://api.openalex.org", 0.1),
    "s2": ("PORTFOLIO_S2_URL", "https://api.semanticscholar.org", 1.0),
    "orcid": ("PORTFOLIO_ORCID_URL", "https://pub.orcid.org", 0.1),
}
#: seconds for one whole request: connecting, the headers and the body
DEADLINE = 30.0
#: bytes of one answer's body, after decoding (gzip, deflate)
MAX_BODY = 8 * 1024 * 1024
#: how often 429 and 5xx answers are asked again, and the longest wait asked for that we honour
RETRIES = 3
LONGEST_WAIT = 60.0
USER_AGENT = "portfolio-importer/0.1 (Sphinx research portfolio extension)"
_CHUNK = 16 * 1024

pause = time.sleep  # the wait between two requests to one service (the tests do not wait)


class SourceError(Exception):
    """One line for the maintainer: the identifier, what went wrong and what to do."""


def base(service: str) -> str:
    variable, public, _ = SERVICES[service]
    return os.environ.get(variable, "").rstrip("/") or public


def mapped(url: str, what: str) -> str:
    """A service's public address with its base replaced as configured; refused otherwise."""
    parts = urlsplit(url)
    if parts.scheme in {"http", "https"} and parts.netloc:
        for service, (_, public, _) in SERVICES.items():
            if parts.netloc == urlsplit(public).netloc:
                target = urlsplit(base(service))
                return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
            if f"{parts.scheme}://{parts.netloc}" == base(service):
                return url
    shown = url if len(url) <= 80 else url[:77] + "..."
    raise SourceError(
        f"{what}: refused a redirect to {shown!r}: only the http(s) addresses of the services this command "
        "reads are followed"
    )


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (a number or an HTTP date); None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Decoder:
    """The body as it arrives, inflated chunk by chunk, never past the cap."""

    def __init__(self, encoding: str, what: str, host: str) -> None:
        encoding = encoding.strip().lower()
        self.raw_deflate = False  # "deflate" is zlib's format, but some servers send it bare
        self.head = b""
        if encoding in {"", "identity"}:
            self.inflate = None
        elif encoding in {"gzip", "x-gzip", "deflate"}:
            self.inflate = zlib.decompressobj(wbits=47)  # a gzip or a zlib header
            self.raw_deflate = encoding == "deflate"
        else:
            raise SourceError(f"{what}: {host} answered in an encoding it was not asked for ({encoding}); "
                              "try again later")  # fmt: skip
        self.what, self.host = what, host
        self.parts: list[bytes] = []
        self.size = 0

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > MAX_BODY:
            raise SourceError(f"{self.what}: {self.host}'s answer is larger than {MAX_BODY // 2**20} MB "
                              "once decoded; nothing was written (try again later)")  # fmt: skip
        self.parts.append(data)

    def feed(self, data: bytes) -> None:
        if self.inflate is None:
            self._keep(data)
            return
        if self.raw_deflate:  # the first two bytes tell: a zlib header, or bare deflate
            self.head += data
            if len(self.head) < 2:
                return
            data, self.raw_deflate = self.head, False
            if (data[0] & 0x0F) != 8 or ((data[0] << 8) | data[1]) % 31:
                self.inflate = zlib.decompressobj(wbits=-15)
        try:
            out = self.inflate.decompress(data, MAX_BODY + 1 - self.size)
            self._keep(out)
            while self.inflate.unconsumed_tail:
                out = self.inflate.decompress(self.inflate.unconsumed_tail, MAX_BODY + 1 - self.size)
                self._keep(out)
        except zlib.error:
            raise SourceError(
                f"{self.what}: {self.host}'s compressed answer is damaged; try again later"
            ) from None

    def body(self) -> bytes:
        if self.inflate is not None:
            try:
                self._keep(self.inflate.flush())
            except zlib.error:
                raise SourceError(
                    f"{self.what}: {self.host}'s compressed answer is damaged; try again later"
                ) from None
        return b"".join(self.parts)


class Client:
    """One HTTP client for a run of a command: the policy above, one request at a time per
    service, spaced by the service's rate."""

    def __init__(self, contact: str = "", sleep: Any = None, deadline: float | None = None) -> None:
        import urllib3

        contact = contact or os.environ.get("PORTFOLIO_CONTACT", "")
        self.headers = {
            "User-Agent": USER_AGENT + (f" mailto:{contact}" if contact else ""),
            "Accept-Encoding": "gzip, deflate",
        }
        self.deadline = DEADLINE if deadline is None else deadline
        self.http = urllib3.PoolManager(retries=False)
        self.sleep = sleep or pause
        self.last: dict[str, float] = {}

    # -- one attempt ------------------------------------------------------------------------
    def _attempt(self, url: str, headers: dict[str, str], what: str, ends: float) -> tuple[int, Any, bytes]:
        """(status, headers, decoded body) of one GET, all of it before ``ends``."""
        import urllib3

        host = urlsplit(url).netloc
        left = max(0.1, ends - time.monotonic())
        response = self.http.request(
            "GET", url, headers=headers, preload_content=False, decode_content=False, redirect=False,
            timeout=urllib3.Timeout(connect=min(left, 10.0), read=left),
        )  # fmt: skip
        try:
            declared = response.headers.get("Content-Length", "")
            if (
                declared.isdigit()
                and int(declared) > MAX_BODY
                and not response.headers.get("Content-Encoding")
            ):
                raise SourceError(f"{what}: {host}'s answer is larger than {MAX_BODY // 2**20} MB; "
                                  "nothing was written (try again later)")  # fmt: skip
            decoder = _Decoder(response.headers.get("Content-Encoding", ""), what, host)
            while True:
                if time.monotonic() > ends:
                    raise TimeoutError
                chunk = response.read1(_CHUNK)
                if not chunk:
                    break
                decoder.feed(chunk)
            body = decoder.body()
        except BaseException:
            response.close()  # a connection read halfway is never used again
            raise
        response.release_conn()
        return response.status, response.headers, body

    def _timed(self, url: str, headers: dict[str, str], what: str) -> tuple[int, Any, bytes]:
        """One attempt in a worker thread, waited for until the deadline: a server that
        trickles its headers or stalls mid-answer ends the request all the same."""
        ends = time.monotonic() + self.deadline
        out: queue.Queue[tuple[bool, Any]] = queue.Queue()

        def work() -> None:
            try:
                out.put((True, self._attempt(url, headers, what, ends)))
            except BaseException as err:  # handed to the caller, which reports it in one line
                out.put((False, err))

        worker = threading.Thread(target=work, daemon=True, name="portfolio-request")
        worker.start()
        try:
            ok, value = out.get(timeout=self.deadline + 1.0)
        except queue.Empty:
            ok, value = False, TimeoutError()
        if ok:
            return value  # type: ignore[no-any-return]
        raise self._one_line(value, url, what)

    def _one_line(self, err: BaseException, url: str, what: str) -> SourceError:
        import urllib3

        host = urlsplit(url).netloc
        if isinstance(err, SourceError):
            return err
        if isinstance(err, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
            return SourceError(f"{what}: cannot reach {host} (connection refused or no network); "
                               "check the network connection and try again")  # fmt: skip
        if isinstance(err, TimeoutError | urllib3.exceptions.TimeoutError):
            return SourceError(f"{what}: {host} did not finish answering within {self.deadline:.0f} s; "
                               "nothing was written (try again later)")  # fmt: skip
        if isinstance(err, urllib3.exceptions.HTTPError | OSError):
            return SourceError(f"{what}: {host} failed ({type(err).__name__}); try again later")
        return SourceError(f"{what}: reading {host}'s answer failed ({type(err).__name__}); try again later")

    # -- a request ----------------------------------------------------------------------------
    def get(
        self, service: str, path: str, what: str, accept: str = "*/*", headers: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, content type, body) of ``base(service) + path``, following redirects to
        the services, with 429 and 5xx asked again."""
        _, _, interval = SERVICES[service]
        url = base(service) + path
        headers = {**self.headers, "Accept": accept, **(headers or {})}
        tries = 0
        redirects = 0
        while True:
            wait = self.last.get(service, -1e9) + interval - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            try:
                status, response_headers, body = self._timed(url, headers, what)
            finally:
                self.last[service] = time.monotonic()
            host = urlsplit(url).netloc
            if status in (301, 302, 303, 307, 308) and response_headers.get("Location"):
                redirects += 1
                if redirects > 5:
                    raise SourceError(f"{what}: too many redirects from {host}")
                location = response_headers["Location"]
                if location.startswith("/"):
                    parts = urlsplit(url)
                    location = urlunsplit((parts.scheme, parts.netloc, location, "", ""))
                url = mapped(location, what)
                continue
            if status == 429 or status >= 500:
                tries += 1
                asked = _retry_after(response_headers.get("Retry-After"))
                if tries > RETRIES or (asked is not None and asked > LONGEST_WAIT):
                    later = f"in {asked:.0f} s" if asked is not None and asked >= 1 else "in a few minutes"
                    raise SourceError(
                        f"{what}: {host} answered {status} after {tries} tries; try again {later}"
                    )
                self.sleep(asked if asked is not None else min(LONGEST_WAIT, 2.0**tries))
                continue
            return status, response_headers.get("Content-Type", ""), body.decode("utf-8", "replace")


# -- reading what came ---------------------------------------------------------------------------
def parse_json(text: str, what: str, service: str) -> Any:
    """JSON, or one line: not JSON, or nested deeper than Python's parser goes."""
    try:
        return json.loads(text)
    except RecursionError:
        raise SourceError(f"{what}: {service}'s answer nests deeper than any record; "
                          "nothing was written (try again later)") from None  # fmt: skip
    except ValueError:
        raise SourceError(f"{what}: {service}'s answer is not JSON; try again later") from None


def parse_xml(text: str, what: str, service: str) -> ET.Element:
    """A whole, well-formed XML document, or one line (a truncated answer is refused,
    never read as far as it goes)."""
    try:
        return ET.fromstring(text)
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else 0
        raise SourceError(f"{what}: {service}'s answer is not complete XML (broken at line {line}); "
                          "nothing was written (try again later)") from None  # fmt: skip
