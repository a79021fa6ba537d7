"""The desk's pages: the results of every run with filters, one result with its facts and
their evidence, the review form and the audit trail. Server-rendered (Jinja2, autoescaped,
other-script runs isolated as in the briefings), no script, nothing fetched from elsewhere.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..briefing.bidi import isolate
from ..briefing.clean import clean_article
from ..briefing.highlight import highlight_html, number_spans, span_id
from ..briefing.render import environment
from ..errors import InputError
from .article import article_of
from .correct import correct, editable
from .desk import FIELDS, GOLD, Desk, Query, Review, Row, now
from .gold import corrections_by_field, export_gold
from .security import (
    CSRF_FIELD,
    TOKEN_COOKIE,
    Guard,
    csrf_ok,
    csrf_token,
    same,
)

_TEMPLATES = Path(__file__).parent / "templates"
_BRIEFING_TEMPLATES = Path(__file__).parent.parent / "briefing" / "templates"
_STATUSES = ("ok", "partial", "no_event", "error")
# What a form field may hold: a name, a note. Longer is refused, not cut.
_MAX_NAME, _MAX_NOTE = 80, 2000
_WITH_EVIDENCE = ("participants", "topics", "outcomes", "other_events", "parties", "areas")
# The results list shows this many rows a page.
PAGE = 200


def create_app(data: Path, token: str | None = None) -> Starlette:
    """The desk over ``data`` (``runs/*/results.jsonl``, ``reviews.jsonl``); ``token``: every
    request must carry it (any host but loopback)."""
    desk = Desk(data)
    env = environment(autoescape=True, folder=_TEMPLATES)
    css = "\n".join(
        (folder / name).read_text(encoding="utf-8")
        for folder, name in ((_BRIEFING_TEMPLATES, "briefing.css"), (_TEMPLATES, "desk.css"))
    )

    def page(request: Request, name: str, status: int = 200, **values: Any) -> HTMLResponse:
        html = env.get_template(name).render(csrf=csrf_token(request), signed=token, **values)
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
            query=query,
            corrections=corrections_by_field(desk),
        )

    def current(row: Row) -> dict[str, Any] | None:
        """The summary that stands for a result: its last correction's, else the model's."""
        fixed = desk.corrected(row.run, row.id)
        return fixed.summary if fixed is not None else _summary(row.shown())

    def result_page(
        request: Request, row: Row, status: int = 200, problems: list[str] | None = None
    ) -> HTMLResponse:
        summary = current(row)
        found = article_of(row.line)
        numbers = number_spans(_spans(summary)) if found.text is not None else {}
        highlighted = None
        if found.text is not None:
            text = partial(isolate, lang=row.lang if row.lang in ("en", "ar") else "en")
            highlighted = highlight_html(clean_article(found.text), numbers, text)
        schema = str((row.line.get("meta") or {}).get("schema") or "meeting")
        return page(
            request,
            "result.html.j2",
            status,
            row=row,
            summary=summary,
            article=highlighted,
            article_missing=found.missing,
            refs={span: (span_id(span), n) for span, n in numbers.items()},
            reviews=desk.reviews(row.run, row.id),
            state=desk.states().get((row.run, row.id), "unreviewed"),
            fields=FIELDS,
            editable=editable(summary, schema) if summary and found.text is not None else [],
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
        who, note = str(form.get("who") or "").strip(), str(form.get("note") or "").strip()
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
        who, note = str(form.get("who") or "").strip(), str(form.get("note") or "").strip()
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
        form = await request.form(max_files=0, max_fields=2)
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
        if not same(str(form.get("token") or ""), token):
            return page(request, "login.html.j2", 401, failed=True)
        response = RedirectResponse("/", 303)
        response.set_cookie(TOKEN_COOKIE, str(token), httponly=True, samesite="strict")
        return response

    async def stylesheet(request: Request) -> Response:
        return Response(css, media_type="text/css")

    routes = [
        Route("/", results, name="results"),
        Route("/r/{run}/{id}", result, name="result"),
        Route("/r/{run}/{id}/review", review, methods=["POST"], name="review"),
        Route("/r/{run}/{id}/correct", correction, methods=["POST"], name="correct"),
        Route("/gold", gold, methods=["POST"], name="gold"),
        Route("/login", login, methods=["GET", "POST"], name="login"),
        Route("/static/desk.css", stylesheet, name="css"),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(Guard, token=token)
    return app


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


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
