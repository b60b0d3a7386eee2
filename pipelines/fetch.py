"""Live mode: download API pages over HTTP and land each complete, parseable body in a source's
landing folder, with timeouts, retries with exponential backoff and conditional requests.

What a source's API looks like (which URLs, how pages are counted, what a valid body is) lives
in pipelines/sources/live.py; this module knows only HTTP and landing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
from tenacity import (
    Retrying,
    before_sleep_log,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

log = logging.getLogger(__name__)
# Worth another try: the server is overloaded or restarting. Any other 4xx is our mistake.
RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}
# One validators file per source (fetch_state/<source>.json): the sources are fetched by
# separate steps, possibly at once, and must not overwrite each other's state.
STATE_FOLDER = "fetch_state"


class FetchError(Exception):
    """A URL that could not be fetched (after retries) or whose body was not usable."""


class _RetryableStatus(Exception):
    def __init__(self, response: httpx.Response):
        super().__init__(f"HTTP {response.status_code}")
        self.status = response.status_code


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    attempts: int = 4
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    backoff_max: float = 60.0


class Validators:
    """ETag and Last-Modified of each URL's last landed body (WPPI_HOME/fetch_state/), plus
    what a source needs to remember of it (the page count), so the next request is conditional.
    """

    def __init__(self, path: Path):
        self.path = path
        self.state: dict[str, dict] = orjson.loads(path.read_bytes()) if path.is_file() else {}

    def headers(self, url: str) -> dict[str, str]:
        known = self.state.get(url, {})
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def get(self, url: str) -> dict:
        return self.state.get(url, {})

    def remember(self, url: str, response: httpx.Response, **extra) -> None:
        self.state[url] = {
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            **extra,
        }
        write_atomically(self.path, orjson.dumps(self.state, option=orjson.OPT_INDENT_2))


def write_atomically(target: Path, body: bytes) -> None:
    """Write to a hidden temporary file in the same folder, then rename: readers (the raw
    assets, the sensors, which skip dot-files) see the whole file or none of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def land_body(folder: Path, stem: str, body: bytes, suffix: str = ".json") -> Path:
    """Land a body as `<stem>.<sha256 prefix><suffix>`: new content never overwrites old."""
    target = folder / f"{stem}.{hashlib.sha256(body).hexdigest()[:12]}{suffix}"
    if not target.exists():
        write_atomically(target, body)
    return target


class Fetcher:
    """GET with timeouts, retries (exponential backoff) and conditional request headers."""

    def __init__(self, policy: FetchPolicy, validators: Validators):
        self.policy = policy
        self.validators = validators
        timeout = httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout)
        self.client = httpx.Client(timeout=timeout, follow_redirects=True)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    def get(self, url: str) -> httpx.Response:
        """The response (200 with the whole body, or 304); FetchError once retries are spent.

        A truncated body (connection closed before Content-Length bytes) is a transport error
        in httpx, so it is retried like a timeout and never returned.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=wait_exponential(multiplier=self.policy.backoff, max=self.policy.backoff_max),
            retry=retry_if_exception_type((httpx.TransportError, _RetryableStatus)),
            before_sleep=before_sleep_log(log, logging.WARNING),
            reraise=True,
        )
        tries = f"after {self.policy.attempts} attempt(s)"
        try:
            return retrying(self._get_once, url)
        except _RetryableStatus as exc:
            raise FetchError(f"{url}: HTTP {exc.status} {tries}; nothing landed") from None
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"{url}: timed out ({type(exc).__name__}) {tries}; nothing landed"
            ) from None
        except httpx.TransportError as exc:
            raise FetchError(
                f"{url}: {type(exc).__name__}: {exc} {tries}; nothing landed"
            ) from None

    def _get_once(self, url: str) -> httpx.Response:
        response = self.client.get(url, headers=self.validators.headers(url))
        if response.status_code in RETRY_STATUS:
            raise _RetryableStatus(response)
        if response.status_code not in (200, 304):
            raise FetchError(f"{url}: HTTP {response.status_code}; nothing landed")
        return response
