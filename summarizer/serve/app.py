"""The desk's pages: the results of every run with filters, one result with its facts and
their evidence, the review form and the audit trail. Server-rendered (Jinja2, autoescaped,
other-script runs isolated as in the briefings), no script, nothing fetched from elsewhere.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..briefing.bidi import isolate
from ..briefing.clean import clean_article
from ..briefing.highlight import highlight_html, number_spans, span_id
from ..briefing.render import FORMATS as BRIEFING_FORMATS
from ..briefing.render import environment, render_briefing
from ..errors import InputError, SummarizerError
from .article import article_of
from .correct import correct, editable, result_of
from .desk import FIELDS, GOLD, Desk, Query, Review, Row, last_correction, now, state_of
from .event_pages import event_routes
from .gold import corrections_by_field, export_gold
from .inbox import MAX_FILE_BYTES, MAX_FILES, MAX_PASTE_CHARS, Inbox
from .responses import MEDIA, attachment
from .security import (
    CSRF_FIELD,
    LOOPBACK_HOSTS,
    TOKEN_COOKIE,
    USER_COOKIE,
    Guard,
    csrf_ok,
    csrf_token,
    same,
    user_cookie,
)
from .users import check_password

if TYPE_CHECKING:
    from ..config import Settings

_TEMPLATES = Path(__file__).parent / "templates"
_BRIEFING_TEMPLATES = Path(__file__).parent.parent / "briefing" / "templates"
_STATUSES = ("ok", "partial", "no_event", "error")
# What a form field may hold: a name, a note. Longer is refused, not cut.
_MAX_NAME, _MAX_NOTE = 80, 2000
_UPLOAD_FIELDS = ("who", "text", "published", "outlet", "schema", "lang")
_WITH_EVIDENCE = ("participants", "topics", "outcomes", "other_events", "parties", "areas")
# The results list shows this many rows a page.
PAGE = 200


def create_app(
    data: Path,
    token: str | None = None,
    settings: Settings | None = None,
    transport: Callable[[], httpx2.AsyncBaseTransport | None] = lambda: None,
    hosts: tuple[str, ...] = (),
    users: dict[str, str] | None = None,
) -> Starlette:
    """The desk over ``data`` (``runs/*/results.jsonl``, ``reviews.jsonl``, ``inbox/``);
    ``token``: every request must carry it (any host but loopback). Batches started from
    the inbox use ``settings`` (default: the environment's, ``Settings.resolve``) and a
    transport from ``transport`` (default: the network). ``hosts``: names the desk answers
    to besides loopback's (the host it is served on). ``users``: ``{name: scrypt hash}``
    (``users.read_users``): each request is then a signed-in user's, who signs its reviews."""
    users = users or {}
    desk = Desk(data)

    def batch_settings() -> Settings:
        from ..config import (
            Settings,
        )  # the model stack: imported on first use, so the desk starts fast

        return settings or Settings.resolve()

    inbox = Inbox(data, batch_settings, transport)
    env = environment(autoescape=True, folder=_TEMPLATES)
    css = "\n".join(
        (folder / name).read_text(encoding="utf-8")
        for folder, name in ((_BRIEFING_TEMPLATES, "briefing.css"), (_TEMPLATES, "desk.css"))
    )

    def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            csrf=csrf_token(request),
            user=request.scope.get("desk.user"),
            with_users=bool(users),
            **values,
        )
        return HTMLResponse(html, status_code=status)

    async def results(request: Request) -> Response:
        params = request.query_params
        fields = Query.__dataclass_fields__
        query = Query(**{k: params.get(k, "").strip()[:_MAX_NOTE] for k in fields})
        rows = [r for r in desk.rows() if r.matches(query)]
        start = _int(params.get("from_row"))
        return page(
            request,
            "results.html.j2",
            rows=rows[start : start + PAGE],
            start=start,
            total=len(rows),
            page_size=PAGE,
            counts=Counter(r.status for r in rows),
            statuses=_STATUSES,
            states=desk.states(),
            outlets=sorted({r.outlet for r in desk.rows() if r.outlet}),
            areas=sorted({a for r in desk.rows() for a in r.areas}),
            query=query,
            corrections=corrections_by_field(desk),
        )

    def current(row: Row, reviews: list[Review] | None = None) -> dict[str, Any] | None:
        """The summary that stands for a result: its last correction's, else the model's."""
        fixed = last_correction(desk.reviews(row.run, row.id) if reviews is None else reviews)
        return fixed.summary if fixed is not None else _summary(row.shown())

    def result_page(
        request: Request, row: Row, status: int = 200, problems: list[str] | None = None
    ) -> HTMLResponse:
        reviews = desk.reviews(row.run, row.id)  # the audit trail, read once for the page
        summary = current(row, reviews)
        found = article_of(row.line)
        numbers = number_spans(_spans(summary)) if found.text is not None else {}
        highlighted = None
        if found.text is not None:
            text = partial(isolate, lang=row.lang if row.lang in ("en", "ar") else "en")
            highlighted = highlight_html(clean_article(found.text), numbers, text)
        meta = row.line.get("meta") or {}
        schema = str(meta.get("schema") or "meeting")
        correctable = found.missing or (
            "a bilingual result is not corrected here yet" if meta.get("lang") == "both"
            else None if summary else "the result has no summary"
        )  # fmt: skip
        return page(
            request,
            "result.html.j2",
            status,
            row=row,
            summary=summary,
            article=highlighted,
            article_missing=found.missing,
            refs={span: (span_id(span), n) for span, n in numbers.items()},
            reviews=reviews,
            state=state_of(reviews),
            fields=FIELDS,
            editable=editable(summary, schema) if summary and correctable is None else [],
            not_correctable=correctable,
            problems=problems or [],
        )

    async def result(request: Request) -> Response:
        run, ident = request.path_params["run"], request.path_params["id"]
        row = desk.row(run, ident)
        if row is None:
            return page(request, "missing.html.j2", 404, what=f"{run}/{ident}")
        return result_page(request, row)

    async def correction(request: Request) -> Response:
        run, ident = request.path_params["run"], request.path_params["id"]
        form = await request.form(max_files=0, max_fields=8, max_part_size=_MAX_NOTE * 4)
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
        row = desk.row(run, ident)
        if row is None:
            return PlainTextResponse("no such result", 404)
        who = signer(request, str(form.get("who") or "").strip())
        note = str(form.get("note") or "").strip()
        path, value = str(form.get("path") or ""), str(form.get("value") or "")
        if not who or len(who) > _MAX_NAME or len(note) > _MAX_NOTE or len(value) > _MAX_NOTE:
            return PlainTextResponse(f"give your name (up to {_MAX_NAME} characters)", 400)
        summary, found = current(row), article_of(row.line)
        if summary is None or found.text is None:
            why = found.missing or "the result has no summary"
            return result_page(request, row, 422, [f"cannot check a correction: {why}"])
        meta = row.line.get("meta") or {}
        fixed = correct(summary, str(meta.get("schema")), str(meta.get("lang")), found.text,
                        (meta.get("article") or {}).get("published"), path, value)  # fmt: skip
        if fixed.summary is None:
            return result_page(request, row, 422, fixed.problems)
        desk.record(Review(now(), who, run, ident, "correct", path, note, value, fixed.summary))
        return RedirectResponse(request.url_for("result", run=run, id=ident), 303)

    async def review(request: Request) -> Response:
        run, ident = request.path_params["run"], request.path_params["id"]
        form = await request.form(max_files=0, max_fields=8, max_part_size=_MAX_NOTE * 4)
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
        if desk.row(run, ident) is None:
            return PlainTextResponse("no such result", 404)
        who = signer(request, str(form.get("who") or "").strip())
        note = str(form.get("note") or "").strip()
        action, field = str(form.get("action") or ""), str(form.get("field") or "") or None
        if not who or len(who) > _MAX_NAME or len(note) > _MAX_NOTE:
            return PlainTextResponse(f"give your name (up to {_MAX_NAME} characters)", 400)
        if action == "wrong" and field is None:
            return PlainTextResponse("say which field is wrong", 400)
        try:
            desk.record(Review(now(), who, run, ident, action, field, note))
        except InputError as exc:
            return PlainTextResponse(str(exc), 400)
        return RedirectResponse(request.url_for("result", run=run, id=ident), 303)

    async def download(request: Request) -> Response:
        run, ident, fmt = (request.path_params[k] for k in ("run", "id", "format"))
        row = desk.row(run, ident)
        if row is None or fmt not in BRIEFING_FORMATS:
            return PlainTextResponse("no such briefing", 404)
        found = article_of(row.line)
        if found.text is None:
            return PlainTextResponse(f"no briefing: {found.missing}", 409)
        fixed = desk.corrected(run, ident)
        try:
            result = result_of(row.line, found.text, fixed)
            body = render_briefing(result, fmt)
        except SummarizerError as exc:  # no summary, or PDF/DOCX not installed here
            return PlainTextResponse(f"no briefing: {exc}", 409)
        name = f"{run}.{ident}{'.corrected' if fixed else ''}.{fmt}"
        disposition = {"content-disposition": attachment(name)}
        return Response(body, media_type=MEDIA[fmt], headers=disposition)

    async def inbox_page(request: Request) -> Response:
        batches = inbox.batches()
        running = any(b.running for b in batches)
        limits = (MAX_FILES, MAX_FILE_BYTES)
        return page(request, "inbox.html.j2", batches=batches, refresh=running, limits=limits)

    async def upload(request: Request) -> Response:
        limits = {"max_files": MAX_FILES, "max_fields": 10, "max_part_size": MAX_PASTE_CHARS * 4}
        async with request.form(**limits) as form:  # closes the spooled uploads after
            if not csrf_ok(request, form.get(CSRF_FIELD)):
                return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
            files = [
                (upload.filename, await upload.read(MAX_FILE_BYTES + 1))
                for upload in form.getlist("files")
                if isinstance(upload, UploadFile) and upload.filename
            ]
            fields = {k: str(form.get(k) or "").strip() for k in _UPLOAD_FIELDS}
        fields["who"] = signer(request, fields["who"])
        pasted = {k: fields[k] for k in ("text", "published", "outlet")} if fields["text"] else None
        if not fields["who"] or len(fields["who"]) > _MAX_NAME:
            return PlainTextResponse(f"give your name (up to {_MAX_NAME} characters)", 400)
        try:
            inbox.create(files, pasted, fields["schema"], fields["lang"], fields["who"])
        except InputError as exc:
            batches, limits_shown = inbox.batches(), (MAX_FILES, MAX_FILE_BYTES)
            return page(request, "inbox.html.j2", 400, batches=batches, refresh=False,
                        limits=limits_shown, problem=str(exc))  # fmt: skip
        return RedirectResponse(request.url_for("inbox"), 303)

    async def gold(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=2)
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
        done = export_gold(desk, data / GOLD)
        return page(request, "gold.html.j2", written=[p.name for p in done.written],
                    skipped=done.skipped, folder=data / GOLD)  # fmt: skip

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return page(request, "login.html.j2")
        form = await request.form(max_files=0, max_fields=3)
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
        response = RedirectResponse("/", 303)
        name, password = str(form.get("user") or ""), str(form.get("password") or "")
        if name in users and check_password(users[name], password):
            cookie = user_cookie(request, name)
            response.set_cookie(USER_COOKIE, cookie, httponly=True, samesite="strict")
            return response
        if token is not None and same(str(form.get("token") or ""), token):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return response
        return page(request, "login.html.j2", 401, failed=True)

    def signer(request: Request, typed: str) -> str:
        """Who a review is by: the signed-in user; without users, the name typed."""
        return str(request.scope.get("desk.user") or typed)

    async def stylesheet(request: Request) -> Response:
        return Response(css, media_type="text/css")

    routes = [
        Route("/", results, name="results"),
        Route("/inbox", inbox_page, name="inbox"),
        Route("/inbox", upload, methods=["POST"], name="upload"),
        # An id may hold "/" (a file's path is its id): the actions come first.
        Route("/r/{run}/{id:path}/review", review, methods=["POST"], name="review"),
        Route("/r/{run}/{id:path}/correct", correction, methods=["POST"], name="correct"),
        Route("/r/{run}/{id:path}/briefing.{format}", download, name="briefing"),
        Route("/r/{run}/{id:path}", result, name="result"),
        Route("/gold", gold, methods=["POST"], name="gold"),
        Route("/login", login, methods=["GET", "POST"], name="login"),
        Route("/static/desk.css", stylesheet, name="css"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        inbox.resume()  # batches the server did not see end, resumed where they stopped
        # Every run's results read, and the model stack imported, in the background: the
        # first list and the first review page are then quick.
        threading.Thread(target=_warm, args=(desk,), daemon=True).start()
        yield

    routes += event_routes(data, desk, page)
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.inbox = inbox
    app.add_middleware(
        Guard, token=token, hosts=LOOPBACK_HOSTS | set(hosts), users=frozenset(users)
    )
    return app


def _warm(desk: Desk) -> None:
    """Read every run's results, and import what the first review, correction and batch
    need (the model stack)."""
    list(desk.rows())
    from .. import config, prepare  # noqa: F401
    from ..batch import runner  # noqa: F401


def _int(value: str | None) -> int:
    return int(value) if value and value.isascii() and value.isdecimal() else 0


def _spans(summary: dict[str, Any] | None) -> list[tuple[int, int]]:
    """Every evidence span of a summary, in the order the page cites them."""
    spans = []
    for name in _WITH_EVIDENCE:
        for item in (summary or {}).get(name) or []:
            evidence = item.get("evidence") if isinstance(item, dict) else None
            if isinstance(evidence, dict) and isinstance(evidence.get("start"), int):
                if isinstance(evidence.get("end"), int):
                    spans.append((evidence["start"], evidence["end"]))
    return spans


def _summary(line: dict[str, Any]) -> dict[str, Any] | None:
    """The summary the page shows: the English one of a bilingual result."""
    summary = line.get("summary")
    if isinstance(summary, dict) and "headline" not in summary and "en" in summary:
        summary = summary["en"]
    return summary if isinstance(summary, dict) else None
