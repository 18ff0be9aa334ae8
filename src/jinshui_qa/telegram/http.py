"""How the bot talks HTTP to the Bot API: python-telegram-bot's request interface over aiohttp.

python-telegram-bot's default backend (httpx over httpcore and anyio) spent about 40% of the bot's event
loop per reply in the throughput benchmark, more than the answer itself; aiohttp (C parsers, headers and
body in one write) does the same work in a fraction of that. This is a :class:`BaseRequest`, the interface
python-telegram-bot offers for other HTTP libraries, so everything above it (``Bot``, the rate limiter,
retries, the error classes) is unchanged. Like the default it keeps connections alive in a pool, honours
``HTTP(S)_PROXY``/``ALL_PROXY``/``NO_PROXY`` (read when it starts, as httpx does: aiohttp's own
``trust_env`` would look them and ``~/.netrc`` up in a worker thread on every request) and the four
timeouts, and raises :class:`TimedOut` or :class:`NetworkError`, whose messages never contain the request
URL (it holds the token).
"""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM = "application/x-www-form-urlencoded"


def _seconds(value: Any, default: float | None) -> float | None:
    """A timeout argument: python-telegram-bot's DEFAULT_NONE means "the default"."""
    return default if isinstance(value, type(BaseRequest.DEFAULT_NONE)) else value


class AiohttpRequest(BaseRequest):
    """A pool of keep-alive HTTP/1.1 connections (``connection_pool_size``), made in :meth:`initialize`."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self.pool_size = connection_pool_size
        self.timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self.media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._client_timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}
        self._proxies: dict[tuple[str, str], str | None] = {}  # (scheme, host:port) -> proxy URL

    @property
    def read_timeout(self) -> float | None:
        return self.timeouts[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._proxies.clear()  # the environment is read again
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.pool_size),
                cookie_jar=aiohttp.DummyCookieJar(),  # the Bot API sets no cookies
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _proxy(self, url: str) -> str | None:
        """The proxy the environment names for ``url``'s scheme unless NO_PROXY exempts its host."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._proxies:
            proxies = urllib.request.getproxies()  # on Linux: the *_proxy variables, either case
            bypass = urllib.request.proxy_bypass(parts.netloc)  # NO_PROXY
            self._proxies[key] = None if bypass else proxies.get(parts.scheme) or proxies.get("all")
        return self._proxies[key]

    def _timeout(self, read: float | None, write: float | None, connect: float | None,
                 pool: float | None) -> aiohttp.ClientTimeout:  # fmt: skip
        """aiohttp's timeouts for httpx-style ones: waiting for a connection counts ``pool`` + ``connect``,
        each read ``read``; the whole request is bounded by all four (aiohttp has no write timeout)."""
        key = (read, write, connect, pool)
        timeout = self._client_timeouts.get(key)
        if timeout is None:
            parts = (read, write, connect, pool)
            total = None if None in parts else sum(p for p in parts if p is not None)
            acquire = None if connect is None or pool is None else connect + pool
            timeout = aiohttp.ClientTimeout(
                total=total, connect=acquire, sock_connect=connect, sock_read=read
            )
            self._client_timeouts[key] = timeout
        return timeout

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("this AiohttpRequest is not initialized")
        read, write, connect, pool = self.timeouts
        files = (
            request_data.multipart_data if request_data is not None and request_data.contains_files else {}
        )
        if files:
            write = self.media_write_timeout
        timeout = self._timeout(_seconds(read_timeout, read), _seconds(write_timeout, write),
                                _seconds(connect_timeout, connect), _seconds(pool_timeout, pool))  # fmt: skip
        data: Any = None
        headers: dict[str, str] | None = None
        if files and request_data is not None:
            data = aiohttp.FormData(request_data.json_parameters)
            for name, (filename, content, mimetype) in files.items():
                data.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None:
            data, headers = urlencode(request_data.json_parameters).encode(), {"Content-Type": FORM}
        try:
            async with session.request(method, url, data=data, headers=headers, timeout=timeout,
                                       proxy=self._proxy(url)) as response:  # fmt: skip
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's timeouts are TimeoutErrors (and some ClientErrors too)
            raise TimedOut(f"timed out talking to the Bot API ({type(exc).__name__})") from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {_without(str(exc), url)}") from exc


def _without(text: str, url: str) -> str:
    """``text`` with the request URL (and its path, which holds the token) cut out."""
    path = url.split("://", 1)[-1].partition("/")[2]
    return text.replace(url, "<Bot API URL>").replace(path, "<path>") if path else text
