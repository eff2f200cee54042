"""HTTP for every source: one ``requests.Session`` per source, retries, timeouts, rate limits.

Why a Retry subclass: urllib3 only knows ``Retry-After``; Mastodon says when to come back in
``X-RateLimit-Reset`` (ISO 8601), Bluesky in ``RateLimit-Reset`` and X in ``x-rate-limit-reset``
(Unix seconds). The clock and the sleep are injectable so tests wait "as told" instantly.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

from .. import __version__
from ..errors import SourceError
from ..model import parse_timestamp

USER_AGENT = f"curator/{__version__} (testimonial wall; +https://curator.example/bot)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
# Header names are case-insensitive; these three spellings are what the platforms send.
RESET_HEADERS = ("X-RateLimit-Reset", "RateLimit-Reset", "x-rate-limit-reset")
REMAINING_HEADERS = ("X-RateLimit-Remaining", "RateLimit-Remaining", "x-rate-limit-remaining")


def seconds_until_reset(headers: Any, now: float) -> float | None:
    """How long the platform asks us to wait, from whichever rate-limit header it sent."""
    retry_after = headers.get("Retry-After")
    if retry_after and retry_after.strip().isdigit():
        return float(retry_after)
    for name in RESET_HEADERS:
        value = headers.get(name)
        if not value:
            continue
        value = value.strip()
        try:
            number = float(value)
        except ValueError:
            try:
                return max(0.0, parse_timestamp(value.replace("Z", "+00:00")).timestamp() - now)
            except ValueError:
                continue
        # Epoch seconds (Bluesky, X); a small number is a delta (some proxies send that).
        return max(0.0, number - now) if number > 1_000_000_000 else number
    return None


class PlatformRetry(Retry):
    """urllib3 Retry that reads the platforms' reset headers and sleeps with an injected clock."""

    clock: Callable[[], float] = time.time
    pause: Callable[[float], None] = time.sleep
    max_wait: float = 900.0

    def new(self, **kw: Any) -> "PlatformRetry":
        retry = super().new(**kw)
        retry.clock, retry.pause, retry.max_wait = self.clock, self.pause, self.max_wait
        return retry

    def get_retry_after(self, response: Any) -> float | None:
        if response.status != 429:
            return super().get_retry_after(response)
        wait = seconds_until_reset(response.headers, self.clock())
        return None if wait is None else min(wait, self.max_wait)

    def sleep_for_retry(self, response: Any) -> bool:
        wait = self.get_retry_after(response)
        if wait:
            self.pause(wait)
            return True
        return False

    def _sleep_backoff(self) -> None:
        backoff = self.get_backoff_time()
        if backoff > 0:
            self.pause(backoff)


@dataclass
class HttpSettings:
    """Knobs a source can set in config (and tests shrink)."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 900.0  # longest rate-limit wait we accept before giving up on the source
    max_json_bytes: int = 20_000_000


@dataclass
class Http:
    """One session per source. ``get_json`` turns every failure into a one-line SourceError."""

    source: str
    settings: HttpSettings = field(default_factory=HttpSettings)
    clock: Callable[[], float] = time.time
    pause: Callable[[float], None] = time.sleep
    notify: Callable[[str], None] = lambda line: None  # progress lines about long waits
    session: requests.Session = field(init=False)
    _not_before: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        retry = PlatformRetry(
            total=self.settings.retries, connect=self.settings.retries, read=self.settings.retries,
            status=self.settings.retries, status_forcelist=RETRY_STATUSES, backoff_factor=self.settings.backoff,
            allowed_methods=frozenset({"GET", "HEAD"}), raise_on_status=False, respect_retry_after_header=True,
        )
        retry.clock, retry.pause, retry.max_wait = self.clock, self._pause, self.settings.max_wait
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send a request (after any wait the last response asked for); network errors → SourceError."""
        self._wait_for_window()
        kwargs.setdefault("timeout", (self.settings.connect_timeout, self.settings.read_timeout))
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.exceptions.RequestException as err:
            raise SourceError(f"{self.source}: {_short(url)} {_why(err)} (after {self.settings.retries} retries)") from None
        self._remember_window(response)
        return response

    def get_json(self, url: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any) -> tuple[int, Any, requests.Response]:
        """GET and decode JSON. Statuses outside ``ok`` raise; a truncated or non-JSON body raises."""
        response = self.request("GET", url, **kwargs)
        return response.status_code, self.decode(response, ok), response

    def decode(self, response: requests.Response, ok: tuple[int, ...] = (200,)) -> Any:
        url = response.request.url or ""
        if response.status_code not in ok:
            raise SourceError(f"{self.source}: {_short(url)} answered HTTP {response.status_code}{_api_message(response)}")
        try:
            body = response.content
        except requests.exceptions.RequestException as err:
            raise SourceError(f"{self.source}: {_short(url)}: the response was cut off ({type(err).__name__})") from None
        if len(body) > self.settings.max_json_bytes:
            raise SourceError(f"{self.source}: {_short(url)}: response larger than {self.settings.max_json_bytes} bytes")
        try:
            return json.loads(body)
        except ValueError as err:
            if response.status_code != 200:
                return None  # an expected error status with an HTML page: the status says it all
            raise SourceError(f"{self.source}: {_short(url)}: the response is not complete JSON ({err})") from None

    def _pause(self, seconds: float) -> None:
        if seconds >= 1:
            self.notify(f"{self.source}: waiting {seconds:.0f}s (rate limit or retry backoff)")
        self.pause(seconds)

    def _wait_for_window(self) -> None:
        wait = self._not_before - self.clock()
        if wait > 0:
            self._pause(min(wait, self.settings.max_wait))
        self._not_before = 0.0

    def _remember_window(self, response: requests.Response) -> None:
        """The last request of a window: wait for its reset before the next one (no 429 needed)."""
        remaining = next((response.headers[h] for h in REMAINING_HEADERS if h in response.headers), None)
        if remaining is not None and remaining.strip() == "0" and response.status_code != 429:
            wait = seconds_until_reset({k: v for k, v in response.headers.items() if k.lower() != "retry-after"}, self.clock())
            if wait:
                self._not_before = self.clock() + wait


def _api_message(response: requests.Response) -> str:
    """The platform's own error words, when the body has them (Mastodon, XRPC, X envelopes)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    for key in ("error_description", "message", "detail", "error", "title"):
        if isinstance(data.get(key), str):
            return f": {data[key][:200]}"
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return f": {str(errors[0].get('message') or errors[0].get('detail') or '')[:200]}"
    return ""


def _why(err: requests.exceptions.RequestException) -> str:
    """What went wrong in a few words; requests buries timeouts inside ConnectionError(MaxRetryError)."""
    reason = getattr(err.args[0], "reason", None) if err.args else None
    if isinstance(err, requests.exceptions.Timeout) or isinstance(reason, (ReadTimeoutError, ConnectTimeoutError)):
        return "timed out"
    if isinstance(err, requests.exceptions.RetryError):
        return "kept failing"
    return f"failed: {type(reason or err).__name__}: {_first_line(reason or err)}"


def _short(url: str) -> str:
    return url.split("?", 1)[0]


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0][:200] if str(err) else ""
