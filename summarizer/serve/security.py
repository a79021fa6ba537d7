"""Who may use the desk, and what a browser may do with its pages.

- **Access.** On a loopback address the desk trusts the machine's user. On any other host
  the operator sets a token (``--token-file``); every request must carry it, as
  ``Authorization: Bearer TOKEN`` or the cookie the sign-in form sets, or it is refused.
- **Forms.** Every form carries a CSRF token that must equal the one in the browser's
  cookie (a double-submit check). Written here rather than taken from ``starlette-csrf``:
  that middleware reads the token from a header only, which a page without JavaScript
  cannot send.
- **Headers.** A strict Content-Security-Policy (no script at all, styles only from the
  desk), no sniffing, no referrer, no framing by other sites.
"""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_COOKIE = "desk_token"
CSRF_COOKIE = "desk_csrf"
CSRF_FIELD = "csrf"
# Pages hold no script at all: model and article text can never run, even if a template
# slipped. Styles come from the desk's own sheet.
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
# Reachable without the token: the sign-in form and the sheet it is styled with.
_OPEN_PATHS = ("/login", "/static/desk.css")


def same(a: str | None, b: str | None) -> bool:
    """Whether two secrets are equal, in constant time; a missing one never is."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def csrf_token(request: Request) -> str:
    """The browser's CSRF token, or a new one (set as a cookie by ``Guard``)."""
    token = request.cookies.get(CSRF_COOKIE) or request.scope.setdefault(
        "desk.csrf", secrets.token_urlsafe(32)
    )
    return str(token)


def csrf_ok(request: Request, form_value: object) -> bool:
    sent = form_value if isinstance(form_value, str) else None
    return same(request.cookies.get(CSRF_COOKIE), sent)


class Guard:
    """ASGI middleware: the token check (when ``token`` is set) and the security headers on
    every response, refusals included."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                new_csrf = scope.get("desk.csrf")
                if new_csrf:
                    headers.append(
                        "set-cookie",
                        f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Strict",
                    )
            await send(message)

        request = Request(scope)
        if self.token and scope["path"] not in _OPEN_PATHS and not self._signed_in(request):
            refusal = PlainTextResponse("sign in first: /login", status_code=401)
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _signed_in(self, request: Request) -> bool:
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer ") and same(bearer.removeprefix("Bearer "), self.token):
            return True
        return same(request.cookies.get(TOKEN_COOKIE), self.token)
