"""A minimal browser for the smoke run: one origin behind a TLS proxy, cookies and all."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    seconds: float

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Browser:
    """A minimal browser for one origin behind a TLS proxy: a cookie jar, no redirects followed.

    ``secure=True`` sends ``X-Forwarded-Proto: https``, which is what the
    TLS-terminating proxy in front of gunicorn adds; Django trusts it through
    ``SECURE_PROXY_SSL_HEADER``. Cookies are kept and sent back as a browser
    talking HTTPS to the proxy would (``Secure`` cookies included). Every
    ``Set-Cookie`` header seen is kept in ``set_cookies`` for the flag checks.
    """

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"https://{self.host}:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict | None = None,
        headers: dict | None = None,
        secure: bool = True,
        timeout: float = 30,
    ) -> Response:
        send = {"User-Agent": "cto-office-prod-smoke", "Accept": "text/html,*/*"}
        if secure:
            send["X-Forwarded-Proto"] = "https"
        if self.cookies:
            send["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            send["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST":  # what a browser sends with a same-origin form or fetch
            send["Origin"] = self.origin
            send["Referer"] = self.origin + path
        send.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=send)
            raw = conn.getresponse()
            response = Response(raw.status, raw.getheaders(), raw.read(), 0.0)
        finally:
            conn.close()
        response.seconds = time.monotonic() - started
        for header in response.all("Set-Cookie"):
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                self.set_cookies[name] = header
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response
