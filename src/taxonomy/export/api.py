"""The Braze REST client behind `taxonomy pull`: paging, retries, and a key that never leaks.

Endpoints (braze-facts §4.2), all `GET` with `Authorization: Bearer <key>`:
  /custom_attributes, /events          50 per page, next page in the `Link: <...>; rel="next"` header
  /events/list, /purchases/product_list  integer `page` from 0, an empty page ends the list

Bounded everything: a timeout per request, a few retries on 429 / 5xx / network errors honouring Retry-After
(capped), a maximum number of pages, and a cursor seen twice stops the run instead of looping forever.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx

from taxonomy import __version__
from taxonomy.errors import TaxonomyError

MAX_BODY = 32_000_000  # a page holds 50 items (a few kB); an endless or huge body is not Braze
_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r""";\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def parse_link_next(values: list[str] | str | None) -> str | None:
    """The URL of `rel="next"` in one or more Link header values (RFC 8288), or None."""
    if not values:
        return None
    for value in [values] if isinstance(values, str) else values:
        for match in _LINK.finditer(value):
            url, params = match.group(1), match.group(2)
            for rel in _REL.finditer(params):
                words = (rel.group(1) or rel.group(2) or "").lower().split()
                if "next" in words:
                    return url.strip()
    return None


def check_instance(url: str, *, allow_insecure_http: bool = False) -> str:
    """The instance URL, normalised (no trailing slash); HTTPS unless explicitly allowed for local testing."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise TaxonomyError(
            f"the Braze instance must be a URL such as https://rest.iad-01.braze.com; got {text!r}",
            hint="pass --instance or set BRAZE_REST_ENDPOINT",
        )
    if parts.username or parts.password:
        raise TaxonomyError("the instance URL must not contain credentials; the key goes in BRAZE_API_KEY")
    if parts.query or parts.fragment:
        raise TaxonomyError(f"the instance URL must not have a query or fragment: {text!r}")
    if parts.scheme == "http" and not allow_insecure_http:
        raise TaxonomyError(
            f"refusing to send the API key over plain HTTP to {parts.hostname}",
            hint="use the https:// REST endpoint (--allow-insecure-http exists for local test servers only)",
        )
    return text.rstrip("/")


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None when absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"[0-9]+", text):  # ASCII digits only: "²".isdigit() is True
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:  # pragma: no cover - older Pythons
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass(frozen=True)
class PullSettings:
    instance: str
    timeout: float = 30.0
    retries: int = 4  # after the first attempt
    max_backoff: float = 60.0  # no wait is longer, whatever Retry-After says
    max_pages: int = 2000  # per endpoint; Braze gives 50 items a page
    legacy_events: bool = False  # /events/list (names only) instead of /events


@dataclass
class Fetched:
    attributes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    requests: int = 0


PERMISSIONS = {
    "/custom_attributes": "custom_attributes.get",
    "/events": "events.get",
    "/events/list": "events.list",
    "/purchases/product_list": "purchases.product_list",
}


class BrazeClient:
    def __init__(
        self,
        settings: PullSettings,
        api_key: str,
        *,
        log: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not api_key or any(ord(ch) < 0x21 or ord(ch) > 0x7E for ch in api_key):
            raise TaxonomyError(
                "BRAZE_API_KEY is empty or holds characters that cannot go in an HTTP header",
                hint="copy the REST API key again from Settings > APIs and Identifiers",
            )
        self.settings = settings
        self.base = urlsplit(settings.instance)
        self._log = log
        self._sleep = sleep
        self.requests = 0
        self._client = httpx.Client(
            headers={
                "Authorization": f"Bearer {api_key}",
                "Accept": "application/json",
                "User-Agent": f"taxonomy/{__version__}",
            },
            timeout=httpx.Timeout(settings.timeout),
            follow_redirects=False,  # a redirect could carry the key to another host
            # trust_env (the default) keeps HTTPS_PROXY / NO_PROXY / SSL_CERT_FILE working on company networks
        )

    def __enter__(self) -> BrazeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def log(self, message: str) -> None:
        if self._log is not None:
            self._log(message)

    # ------------------------------------------------------------------------------------------- requests

    def get(self, url: str, endpoint: str) -> tuple[Any, httpx.Response]:
        """GET with retries; returns the parsed JSON body and the response."""
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            wait: float | None = None
            try:
                self.requests += 1
                started = time.monotonic()
                with self._client.stream("GET", url) as response:
                    self._read_body(response, started, endpoint)
            except httpx.TimeoutException:
                reason = f"no answer within {self.settings.timeout:g}s"
            except httpx.TransportError as exc:
                reason = f"connection failed ({type(exc).__name__})"
            else:
                self.log(f"GET {url} -> {response.status_code} ({time.monotonic() - started:.2f}s)")
                status = response.status_code
                if status == 429 or 500 <= status <= 599:
                    reason = f"HTTP {status}"
                    wait = retry_after(response.headers.get("retry-after"))
                else:
                    self._raise_for(response, endpoint)
                    return self._json(response, endpoint), response
            if attempt + 1 == attempts:
                raise TaxonomyError(
                    f"GET {endpoint} failed after {attempts} attempt{'s' if attempts > 1 else ''}: {reason}",
                    hint="Braze allows 1,000 requests an hour to these endpoints; try again later"
                    if reason == "HTTP 429"
                    else "check the instance URL and your network, or raise --timeout / --retries",
                )
            delay = min(wait if wait is not None else 2.0**attempt, self.settings.max_backoff)
            self.log(f"retrying {endpoint} in {delay:.2f}s: {reason}")
            self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _read_body(self, response: httpx.Response, started: float, endpoint: str) -> None:
        """Read the body with two bounds: its size, and the time since the request (a slow drip never ends)."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > MAX_BODY:
                raise TaxonomyError(
                    f"GET {endpoint} answered with more than {MAX_BODY // 1_000_000} MB: not a Braze page; stopping",
                    hint="check that --instance is the REST endpoint of your Braze instance",
                )
            if time.monotonic() - started > self.settings.timeout:
                raise httpx.ReadTimeout("the body arrived too slowly", request=response.request)
            chunks.append(chunk)
        response._content = b"".join(chunks)  # what Response.read() would set, within the bounds above

    def _raise_for(self, response: httpx.Response, endpoint: str) -> None:
        status = response.status_code
        if status < 300:
            return
        said = _braze_message(response)
        if status == 401:
            raise TaxonomyError(
                f"Braze rejected the API key (HTTP 401) for GET {endpoint}{said}",
                hint="check BRAZE_API_KEY and that --instance is your workspace's REST endpoint",
            )
        if status == 403:
            raise TaxonomyError(
                f"the API key may not call GET {endpoint} (HTTP 403){said}",
                hint=f"give the key the `{PERMISSIONS.get(endpoint, endpoint)}` permission",
            )
        if 300 <= status < 400:
            raise TaxonomyError(
                f"GET {endpoint} answered with a redirect (HTTP {status}); taxonomy does not follow redirects",
                hint="use the REST endpoint of your Braze instance, e.g. https://rest.iad-01.braze.com",
            )
        raise TaxonomyError(f"GET {endpoint} failed with HTTP {status}{said}")

    def _json(self, response: httpx.Response, endpoint: str) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            kind = response.headers.get("content-type", "unknown").split(";")[0]
            raise TaxonomyError(
                f"GET {endpoint} returned something that is not JSON ({kind}): {exc}",
                hint="a proxy or a wrong --instance URL answers with HTML; check the REST endpoint",
            ) from None

    # ------------------------------------------------------------------------------------------- paging

    def _list(self, body: Any, key: str, endpoint: str) -> list[Any]:
        rows = body.get(key) if isinstance(body, dict) else None
        if not isinstance(rows, list):
            message = body.get("message") if isinstance(body, dict) else None
            said = f" (Braze said {message!r})" if isinstance(message, str) else ""
            raise TaxonomyError(f"GET {endpoint} returned no `{key}` list{said}")
        return rows

    def cursor_pages(self, endpoint: str, key: str) -> tuple[list[Any], int]:
        """Every item of a Link-paged endpoint, and the number of pages."""
        url = f"{self.settings.instance}{endpoint}"
        seen: set[str] = set()
        items: list[Any] = []
        pages = 0
        while True:
            body, response = self.get(url, endpoint)
            items.extend(self._list(body, key, endpoint))
            pages += 1
            following = parse_link_next(response.headers.get_list("link"))
            if following is None:
                return items, pages
            url = self._same_origin(urljoin(str(response.url), following), endpoint)
            cursor = parse_qs(urlsplit(url).query).get("cursor", [url])[0]
            if cursor in seen:
                raise TaxonomyError(
                    f"GET {endpoint} returned a cursor it had already given (page {pages + 1}): stopping"
                    " instead of looping forever"
                )
            seen.add(cursor)
            if pages >= self.settings.max_pages:
                raise TaxonomyError(
                    f"GET {endpoint} still had more pages after {pages}: stopping",
                    hint="raise --max-pages if the workspace really holds that many items",
                )

    def numbered_pages(self, endpoint: str, key: str) -> tuple[list[str], int]:
        """Every name of a `page`-numbered endpoint (from 0; an empty page ends it), and the number of pages."""
        names: list[str] = []
        seen: set[str] = set()
        previous: list[Any] | None = None
        page = 0
        while True:
            body, _response = self.get(f"{self.settings.instance}{endpoint}?page={page}", endpoint)
            rows = self._list(body, key, endpoint)
            if not rows:
                return names, page + 1
            if rows == previous and page != 1:
                # page 1 may repeat page 0 (Braze documents `page` without saying where it starts)
                raise TaxonomyError(f"GET {endpoint} returned page {page - 1} again as page {page}: stopping")
            for row in rows:
                if not isinstance(row, str):
                    raise TaxonomyError(f"GET {endpoint} returned a non-string name in `{key}` (page {page})")
                if row not in seen:
                    seen.add(row)
                    names.append(row)
            previous = rows
            page += 1
            if page >= self.settings.max_pages:
                raise TaxonomyError(
                    f"GET {endpoint} still had more pages after {page}: stopping",
                    hint="raise --max-pages if the workspace really holds that many items",
                )

    def _same_origin(self, url: str, endpoint: str) -> str:
        parts = urlsplit(url)
        if (parts.scheme, parts.hostname, parts.port) != (self.base.scheme, self.base.hostname, self.base.port):
            raise TaxonomyError(
                f"GET {endpoint} pointed its next page at another host ({parts.hostname}); not sending the key there"
            )
        return url

    def fetch(self) -> Fetched:
        out = Fetched()
        out.attributes, out.pages["/custom_attributes"] = self._objects("/custom_attributes", "attributes")
        if self.settings.legacy_events:
            names, out.pages["/events/list"] = self.numbered_pages("/events/list", "events")
            out.events = [{"name": name} for name in names]
        else:
            out.events, out.pages["/events"] = self._objects("/events", "events")
        out.products, out.pages["/purchases/product_list"] = self.numbered_pages("/purchases/product_list", "products")
        out.requests = self.requests
        return out

    def _objects(self, endpoint: str, key: str) -> tuple[list[dict[str, Any]], int]:
        rows, pages = self.cursor_pages(endpoint, key)
        found: dict[str, dict[str, Any]] = {}
        for row in rows:
            if not isinstance(row, dict) or not isinstance(row.get("name"), str) or not row["name"]:
                raise TaxonomyError(f"GET {endpoint} returned an item without a `name`: {str(row)[:80]}")
            found.setdefault(row["name"], row)
        return list(found.values()), pages


def _braze_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return f": {message[:200]}" if isinstance(message, str) and message else ""
