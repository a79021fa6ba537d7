"""Who may use the desk, and what a browser may do with its pages.

- **Access.** On a loopback address the desk trusts the machine's user. On any other host
  the operator sets a token (``--token-file``); every request must carry it, as
  ``Authorization: Bearer TOKEN`` or the cookie the sign-in form sets, or it is refused.
- **Forms.** Every form carries a CSRF token: the HMAC, under a secret of this server, of
  a random value in the browser's cookie, so a cookie planted by another site (or another
  port of the same host) gives no token that passes; a form posted from another origin
  (``Origin``, ``Sec-Fetch-Site``) is refused as well. Written here rather than taken from
  ``starlette-csrf``: that middleware reads the token from a header only, which a page
  without JavaScript cannot send.
- **Hosts.** Only the names the desk was started for are answered (``Host``), so a web page
  that rebinds its own name to 127.0.0.1 cannot reach a desk on loopback.
- **Sizes.** A request body must declare its length, and one over ``MAX_BODY`` is refused
  before anything is read.
- **Headers.** A strict Content-Security-Policy (no script at all, styles only from the
  desk), no sniffing, no referrer, no framing by other sites.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_COOKIE = "desk_token"
USER_COOKIE = "desk_user"  # "name|signature": a user signed in, until the server restarts
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
# The most a request may send: an upload of many articles, bounded well below a disk.
MAX_BODY = 50_000_000
# Names a loopback desk answers to; "testserver" is Starlette's test client.
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "testserver"})
# Reachable without the token: the sign-in form and the sheet it is styled with.
_OPEN_PATHS = ("/login", "/static/desk.css")


def same(a: str | None, b: str | None) -> bool:
    """Whether two secrets are equal, in constant time; a missing one never is."""
    if not a or not b:
        return False
    return hmac.compare_digest(str(a).encode("utf-8"), str(b).encode("utf-8"))


def csrf_token(request: Request) -> str:
    """The token a form of this page carries: the HMAC of the browser's CSRF cookie (a new
    one, set by ``Guard``, when it has none)."""
    nonce = request.cookies.get(CSRF_COOKIE) or request.scope.setdefault(
        "desk.csrf", secrets.token_urlsafe(32)
    )
    return _sign(request, str(nonce))


def csrf_ok(request: Request, form_value: object) -> bool:
    """Whether a posted form is this desk's own: same origin, and its token signs the
    browser's cookie."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        return False
    nonce = request.cookies.get(CSRF_COOKIE)
    sent = form_value if isinstance(form_value, str) else None
    return bool(nonce) and same(_sign(request, str(nonce)), sent)


def user_cookie(request: Request, name: str) -> str:
    """The cookie that keeps ``name`` signed in: its name and this server's signature."""
    return f"{name}|{_sign(request, f'user:{name}')}"


def _sign(request: Request, nonce: str) -> str:
    secret: bytes = request.scope["desk.secret"]
    return hmac.new(secret, nonce.encode("utf-8"), hashlib.sha256).hexdigest()


class Guard:
    """ASGI middleware: the token check (when ``token`` is set) and the security headers on
    every response, refusals included."""

    def __init__(
        self,
        app: ASGIApp,
        token: str | None,
        hosts: frozenset[str],
        users: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.token = token
        self.hosts = hosts
        self.users = users  # names of the users file: with one, every request signs in
        self.secret = secrets.token_bytes(32)  # CSRF tokens signed by this server only

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

        scope["desk.secret"] = self.secret
        request = Request(scope)
        scope["desk.user"] = self._user(request)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> PlainTextResponse | None:
        host = request.headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.strip("[]") not in self.hosts:
            return PlainTextResponse("refused: this desk does not answer to that host", 400)
        if request.method not in ("GET", "HEAD"):
            length = request.headers.get("content-length", "")
            if not length.isdecimal():
                return PlainTextResponse("refused: a request body must give its length", 411)
            if int(length) > MAX_BODY:
                return PlainTextResponse(f"refused: over {MAX_BODY // 1_000_000} MB", 413)
        locked = self.token is not None or bool(self.users)
        if locked and request.url.path not in _OPEN_PATHS and not self._signed_in(request):
            return PlainTextResponse("sign in first: /login", status_code=401)
        return None

    def _user(self, request: Request) -> str | None:
        """The user whose signed cookie the request carries, if still in the users file."""
        name, _, signature = request.cookies.get(USER_COOKIE, "").partition("|")
        if name in self.users and same(signature, _sign(request, f"user:{name}")):
            return name
        return None

    def _signed_in(self, request: Request) -> bool:
        if request.scope.get("desk.user"):
            return True
        if self.token is None:
            return False
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer ") and same(bearer.removeprefix("Bearer "), self.token):
            return True
        return same(request.cookies.get(TOKEN_COOKIE), self.token)
