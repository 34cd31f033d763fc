"""The checks of what a browser sees: HTTPS, sign-in, CSRF, headers, cookies, static files."""

from __future__ import annotations

import re

from deploy.smoke.config import PASSWORD, USERNAME, CheckFailed
from deploy.smoke.processes import Topology


class WebChecks(Topology):
    """``check_<name>`` for the HTTP checks in ``CHECKS``; each returns a detail or raises."""

    def check_https_redirect(self) -> str:
        response = self.browser.request("GET", "/accounts/login/", secure=False)
        location = response.header("Location") or ""
        expected = f"https://127.0.0.1:{self.port}/accounts/login/"
        if response.status != 301 or location != expected:
            raise CheckFailed(f"plain HTTP got {response.status} Location {location!r}")
        return f"plain HTTP → 301 {location}"

    def check_sign_in(self) -> str:
        page = self.browser.request("GET", "/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if page.status != 200 or not match or "csrftoken" not in self.browser.cookies:
            raise CheckFailed(f"login page {page.status}, token found: {bool(match)}")
        login = self.browser.request(
            "POST",
            "/accounts/login/",
            form={
                "csrfmiddlewaretoken": match.group(1),
                "username": USERNAME,
                "password": PASSWORD,
                "next": "/",
            },
        )
        if login.status != 302 or "sessionid" not in self.browser.cookies:
            raise CheckFailed(f"sign-in answered {login.status}: {login.text[:300]}")
        home = self.browser.request("GET", login.header("Location") or "/")
        if home.status != 200 or 'name="password"' in home.text or "Sign out" not in home.text:
            raise CheckFailed(f"home page after sign-in: {home.status}")
        self.home_html = home.text
        return f"{USERNAME} signed in (302 → {login.header('Location')}, home 200)"

    def check_csrf_enforced(self) -> str:
        response = self.browser.request(
            "POST", "/briefings/generate/", form={}, headers={"HX-Request": "true"}
        )
        if response.status != 403:
            raise CheckFailed(f"a POST without a CSRF token answered {response.status}")
        return "a signed-in POST without a CSRF token → 403"

    def check_security_headers(self) -> str:
        expected = {
            "X-Frame-Options": lambda v: v == "DENY",
            "X-Content-Type-Options": lambda v: v == "nosniff",
            "Referrer-Policy": lambda v: v == "same-origin",
            "Cross-Origin-Opener-Policy": lambda v: v == "same-origin",
        }
        problems = []
        for path in ("/accounts/login/", "/"):
            response = self.browser.request("GET", path)
            for name, ok in expected.items():
                value = response.header(name)
                if value is None or not ok(value):
                    problems.append(f"{path} {name}: {value!r}")
            csp = response.header("Content-Security-Policy") or ""
            directives = {
                part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()
            }
            wanted = {
                "default-src": ["'self'"],
                "script-src": ["'self'"],
                "object-src": ["'none'"],
                "frame-ancestors": ["'none'"],
                "base-uri": ["'self'"],
                "form-action": ["'self'"],
            }
            for directive, sources in wanted.items():
                if directives.get(directive) != sources:
                    problems.append(f"{path} CSP {directive}: {directives.get(directive)}")
            if "'unsafe-inline'" in csp or "'unsafe-eval'" in csp:
                problems.append(f"{path} CSP allows unsafe-inline/eval: {csp}")
        if problems:
            raise CheckFailed("; ".join(problems))
        return "CSP (self only, no inline), X-Frame-Options DENY, nosniff, Referrer-Policy, COOP"

    def check_hsts(self) -> str:
        secure = self.browser.request("GET", "/").header("Strict-Transport-Security") or ""
        match = re.match(r"max-age=(\d+)", secure)
        if not match or int(match.group(1)) < 24 * 3600 or "includeSubDomains" not in secure:
            raise CheckFailed(f"over HTTPS: {secure!r}")
        plain = self.browser.request("GET", "/accounts/login/", secure=False)
        if plain.header("Strict-Transport-Security"):
            raise CheckFailed("HSTS sent over plain HTTP (RFC 6797 §7.2: only over HTTPS)")
        return f"over HTTPS: {secure}; none over plain HTTP"

    def check_cookie_flags(self) -> str:
        wanted = {
            "sessionid": ("secure", "httponly", "samesite=lax"),
            "csrftoken": ("secure", "samesite=lax"),
        }
        problems, seen = [], []
        for name, flags in wanted.items():
            header = self.browser.set_cookies.get(name)
            if header is None:
                problems.append(f"{name} never set")
                continue
            attributes = {part.strip().lower() for part in header.split(";")[1:]}
            missing = [flag for flag in flags if flag not in attributes]
            if missing:
                problems.append(f"{name} lacks {missing}: {header}")
            seen.append(f"{name}: {'/'.join(flags)}")
        if problems:
            raise CheckFailed("; ".join(problems))
        return "; ".join(seen)

    def check_debug_off(self) -> str:
        response = self.browser.request("GET", "/no-such-page-smoke/")
        if response.status != 404 or "URLconf" in response.text or "DEBUG = True" in response.text:
            raise CheckFailed(f"unknown URL answered {response.status} with Django's debug page")
        return "an unknown URL is a plain 404, no debug page"

    def check_static_files(self) -> str:
        found = re.findall(
            r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', self.home_html
        )
        if len(found) < 2:
            raise CheckFailed(f"no hashed static URLs in the home page: {found}")
        details = []
        for url in found:
            response = self.browser.request("GET", url, headers={"Accept-Encoding": "gzip, br"})
            cache = response.header("Cache-Control") or ""
            encoding = response.header("Content-Encoding")
            if (
                response.status != 200
                or "max-age=315360000" not in cache
                or "immutable" not in cache
            ):
                raise CheckFailed(f"{url}: {response.status}, Cache-Control {cache!r}")
            if encoding not in ("gzip", "br"):
                raise CheckFailed(f"{url}: not served compressed (Content-Encoding {encoding!r})")
            if not (self.static_root / url.removeprefix("/static/")).is_file():
                raise CheckFailed(f"{url} is not in the collected STATIC_ROOT")
            details.append(f"{url.rsplit('/', 1)[-1]} ({encoding})")
        return f"{', '.join(details)}: 200, Cache-Control {cache}"
