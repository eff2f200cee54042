"""The one HTTP client, for reading and for writing: one ``requests.Session`` per source (or
sender), retries, timeouts, rate limits, a wall-clock deadline and a size limit per request, and
tokens that only go to their own host.

Why writes retry less: a GET can be sent again at will, a POST only when the server said it did
nothing (429, 503) or the connection never opened; after a lost response the post may exist,
and sending it again could ask an author twice.

Why a Retry subclass: urllib3 only knows ``Retry-After``; platforms say when to come back in
``X-RateLimit-Reset`` (ISO 8601), ``RateLimit-Reset`` or ``x-rate-limit-reset`` (Unix seconds).
The clock and the sleep are injectable so tests wait "as told" instantly.

Why a deadline beside the timeouts: a socket timeout bounds each read, so a server that drips a
byte every 0.25 s never trips it and holds a request as long as it likes. A timer shuts the
socket at the deadline, which ends whatever read is waiting (connect, headers or body).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Iterator

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, ReadTimeoutError
from urllib3.util.retry import Retry

from .. import __version__
from ..errors import SourceError
from ..model import parse_timestamp
from .base import is_secure, same_origin

USER_AGENT = f"curator/{__version__} (testimonial wall; +https://curator.example/bot)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
READS = frozenset({"GET", "HEAD"})  # retried after any failure; other methods only on WRITE_RETRY_STATUSES
WRITE_RETRY_STATUSES = (429, 503)
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
        # Epoch seconds; a small number is a delta (some proxies send that).
        return max(0.0, number - now) if number > 1_000_000_000 else number
    return None


class Deadline:
    """The wall-clock limit of one attempt (connect, headers and body together).

    Connections arm it when they connect or send and release it when they go back to their pool
    (see ``_Armed``, ``_Pool``): no timer thread outlives its request (a process with threads
    cannot fork, and ``curator build`` forks). At the deadline the socket is shut, so a blocked
    read ends at once, and ``expired`` tells a body that merely ended early from a complete one."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._timer: threading.Timer | None = None
        self._connection: HTTPConnection | None = None
        # Kept here: a response that closes its connection reads on after ``connection.sock`` is None.
        self._socket: socket.socket | None = None

    def arm(self, connection: HTTPConnection) -> None:
        if self._timer is None or self._connection is not connection:  # else: the same attempt, same clock
            self.disarm()
            self.expired, self._connection = False, connection
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()
        self._socket = connection.sock or self._socket

    def release(self, connection: HTTPConnection) -> None:
        if self._connection is connection:
            self.disarm()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self._connection = self._socket = None

    def _expire(self) -> None:
        self.expired = True
        sock = self._socket  # read once: the sending thread may disarm meanwhile
        if sock is not None:
            with suppress(OSError):  # already closed: nothing left to stop
                sock.shutdown(socket.SHUT_RDWR)


# The deadline of the request this thread is sending: urllib3 builds connections itself, so they
# find it here rather than through their constructor.
_sending = threading.local()


@contextmanager
def _deadline_of_this_thread(deadline: Deadline) -> Iterator[None]:
    _sending.deadline = deadline
    try:
        yield
    finally:
        _sending.deadline = None


class _Armed:
    """A connection that arms the sending thread's deadline when it connects or sends (``_Pool``
    releases it). Not when it closes: a response that ends with the connection reads on after."""

    deadline: Deadline | None = None  # the one that armed it last

    def connect(self) -> None:
        _arm(self)  # the clock starts before connecting
        super().connect()  # type: ignore[misc]
        _arm(self)  # and now there is a socket to shut

    def request(self, *args: Any, **kwargs: Any) -> None:
        _arm(self)
        super().request(*args, **kwargs)  # type: ignore[misc]


def _arm(connection: Any) -> None:
    deadline = getattr(_sending, "deadline", None)
    if deadline is not None:
        connection.deadline = deadline
        deadline.arm(connection)


def _release(connection: Any) -> None:
    if getattr(connection, "deadline", None) is not None:
        connection.deadline.release(connection)


class _Pool:
    """A pool that releases a connection's deadline when the connection comes back: its response
    was read to the end, drained before a retry, or closed by its reader."""

    def _put_conn(self, conn: Any) -> None:
        _release(conn)
        super()._put_conn(conn)  # type: ignore[misc]


class _ArmedHTTPConnection(_Armed, HTTPConnection):
    pass


class _ArmedHTTPSConnection(_Armed, HTTPSConnection):
    pass


class _ArmedHTTPPool(_Pool, HTTPConnectionPool):
    ConnectionCls = _ArmedHTTPConnection


class _ArmedHTTPSPool(_Pool, HTTPSConnectionPool):
    ConnectionCls = _ArmedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter with connections that keep the deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _ArmedHTTPPool, "https": _ArmedHTTPSPool}


class PlatformRetry(Retry):
    """urllib3 Retry that reads the platforms' reset headers and sleeps with an injected clock.

    An attempt that ran out of time is not retried: a server that drips once will drip again."""

    clock: Callable[[], float] = time.time
    pause: Callable[[float], None] = time.sleep
    max_wait: float = 900.0
    deadline: Deadline | None = None

    def new(self, **kw: Any) -> PlatformRetry:
        retry = super().new(**kw)
        retry.clock, retry.pause, retry.max_wait, retry.deadline = self.clock, self.pause, self.max_wait, self.deadline
        return retry

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if method.upper() not in READS:  # a write: only when the server says it did nothing
            return bool(self.total) and status_code in WRITE_RETRY_STATUSES
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any) -> PlatformRetry:
        if self.deadline is not None and self.deadline.expired:
            raise MaxRetryError(kwargs["_pool"], url or "", kwargs.get("error"))  # urllib3 always passes its pool
        return super().increment(method, url, *args, **kwargs)

    def sleep(self, response: Any = None) -> None:
        if self.deadline is not None:
            self.deadline.disarm()  # the next attempt gets its own full deadline, not this one's rest
        super().sleep(response)

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
    deadline: float = 60.0  # wall-clock seconds for one attempt: connect, headers and body
    max_bytes: int = 20_000_000  # a body larger than this is refused while it streams in


class BearerFor(requests.auth.AuthBase):
    """A bearer token that goes only to its API's origin (scheme, host, port), and only over https
    or to a loopback address (the local test servers): never to a pagination link, an avatar
    host, a redirect elsewhere or a plain-http server."""

    def __init__(self, api: str, token: str, source: str):
        self.api, self.token, self.source = api, token, source

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if same_origin(request.url or "", self.api):
            if not is_secure(self.api):
                raise SourceError(f"{self.source}: refusing to send the token to {self.api} over plain http; use https")
            request.headers["Authorization"] = f"Bearer {self.token}"
        return request


@dataclass
class Http:
    """One session per source or sender. ``get_json``/``send_json`` turn every failure into a
    one-line SourceError."""

    source: str
    settings: HttpSettings = field(default_factory=HttpSettings)
    clock: Callable[[], float] = time.time
    pause: Callable[[float], None] = time.sleep
    notify: Callable[[str], None] = lambda line: None  # progress lines about long waits
    session: requests.Session = field(init=False)
    _not_before: float = field(default=0.0, init=False)
    _deadline: Deadline = field(init=False)

    def __post_init__(self) -> None:
        self._deadline = Deadline(self.settings.deadline)
        retry = PlatformRetry(
            total=self.settings.retries,
            connect=self.settings.retries,
            read=self.settings.retries,
            status=self.settings.retries,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=self.settings.backoff,
            allowed_methods=READS,
            raise_on_status=False,
            respect_retry_after_header=True,
        )
        retry.clock, retry.pause, retry.deadline = self.clock, self._pause, self._deadline
        retry.max_wait = self.settings.max_wait
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = DeadlineAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        """Hang up the kept-alive connections (else they stay open until the session is collected)."""
        self.session.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def authorize(self, api: str, token: str) -> None:
        """Send ``token`` as a bearer token with every request to ``api``'s origin (and nowhere else)."""
        self.session.auth = BearerFor(api, token, self.source)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send a request (after any wait the last response asked for); network errors → SourceError.

        The body is not read yet: read it with ``read`` (or stream it) before the deadline."""
        self._deadline.disarm()  # a response streamed by its caller may have left the last one running
        self._wait_for_window()
        kwargs.setdefault("timeout", (self.settings.connect_timeout, self.settings.read_timeout))
        kwargs["stream"] = True
        try:
            with _deadline_of_this_thread(self._deadline):
                response = self.session.request(method, url, **kwargs)
        except requests.exceptions.RequestException as err:
            self._deadline.disarm()
            why = self._out_of_time() if self._deadline.expired else _why(err)
            raise SourceError(f"{self.source}: {_short(url)} {why} (after {self.settings.retries} retries)") from None
        self._remember_window(response)
        return response

    def read(self, response: requests.Response) -> bytes:
        """The whole body, refused as soon as it passes ``max_bytes`` or the deadline passes."""
        url, limit = _short(response.request.url or ""), self.settings.max_bytes
        declared = response.headers.get("Content-Length", "")
        received, size = [], 0
        try:
            if declared.isdigit() and int(declared) > limit:
                raise SourceError(
                    f"{self.source}: {url}: the response says it has {declared} bytes, more than the {limit}-byte limit"
                )
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise SourceError(f"{self.source}: {url}: the response passed the {limit}-byte limit; refused")
                received.append(chunk)
        except requests.exceptions.RequestException as err:
            why = self._out_of_time() if self._deadline.expired else f"the response was cut off ({_first_line(err)})"
            raise SourceError(f"{self.source}: {url}: {why}") from None
        finally:
            response.close()
            self._deadline.disarm()
        if self._deadline.expired:  # the socket was shut: what came may look complete and is not
            raise SourceError(f"{self.source}: {url}: {self._out_of_time()}")
        return b"".join(received)

    def get_json(self, url: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any) -> tuple[int, Any, requests.Response]:
        """GET and decode JSON. Statuses outside ``ok`` raise; a truncated or non-JSON body raises."""
        return self.send_json("GET", url, ok=ok, **kwargs)

    def send_json(
        self, method: str, url: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> tuple[int, Any, requests.Response]:
        response = self.request(method, url, **kwargs)
        body = self.read(response)
        return response.status_code, self._decode(response, body, ok), response

    def _decode(self, response: requests.Response, body: bytes, ok: tuple[int, ...]) -> Any:
        url = _short(response.request.url or "")
        if response.status_code not in ok:
            raise SourceError(f"{self.source}: {url} answered HTTP {response.status_code}{_api_message(body)}")
        try:
            return json.loads(body)
        except RecursionError:
            raise SourceError(f"{self.source}: {url}: the response is nested too deeply to read") from None
        except ValueError as err:
            if response.status_code != 200:
                return None  # an expected error status with an HTML page: the status says it all
            raise SourceError(f"{self.source}: {url}: the response is not complete JSON ({err})") from None

    def _out_of_time(self) -> str:
        return f"took longer than the {self.settings.deadline:g}s deadline"

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
            resets = {k: v for k, v in response.headers.items() if k.lower() != "retry-after"}
            wait = seconds_until_reset(resets, self.clock())
            if wait:
                self._not_before = self.clock() + wait


def _api_message(body: bytes) -> str:
    """The platform's own error words, when the body has them (the error envelopes platforms use)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
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
