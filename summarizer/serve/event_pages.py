"""The desk's events: every run's results grouped into events (``summarizer events``, into
``DATA/events``), a list of them, one event with its reports and conflicts, and the digest
of them to download.

Events are built from the runs as reviewed: a corrected summary stands for its result, so
an event, its page and its digest say what the analysts corrected. The digest here is
written from the events' facts alone: the desk never calls a model for
a paragraph (``summarizer digest`` does, from the command line).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..briefing.clean import clean
from ..errors import SummarizerError
from ..events.store import EVENTS, load_events, update
from .desk import Desk
from .responses import MEDIA, attachment
from .security import CSRF_FIELD, csrf_ok

EVENTS_DIR = "events"
REVIEWED = ".reviewed"  # the runs as reviewed, which events are built from
Page = Callable[..., Response]


def event_routes(data: Path, desk: Desk, page: Page) -> list[Route]:
    folder = data / EVENTS_DIR

    def events() -> list[dict[str, Any]]:
        return clean(load_events(folder)) if (folder / EVENTS).is_file() else []

    async def listing(request: Request) -> Response:
        return page(request, "events.html.j2", events=events(), runs=desk.runs())

    async def group(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=2)
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return PlainTextResponse("refused: the form's CSRF token is missing or wrong", 403)
        runs = desk.reviewed_runs(data / REVIEWED)  # the corrected summaries, not the model's
        if runs:
            update(folder, runs)
        return RedirectResponse(request.url_for("events"), 303)

    async def event(request: Request) -> Response:
        from ..digest.content import (
            describe,
            outlets_of,
            person_line,
        )  # the model stack: imported on first use, so the desk starts fast

        found = next((e for e in events() if e["id"] == request.path_params["id"]), None)
        if found is None:
            return page(request, "missing.html.j2", 404, what=request.path_params["id"])
        outlets = outlets_of(found)
        return page(
            request,
            "event.html.j2",
            event=found,
            people=[person_line(p, "en") for p in found["participants"]],
            conflicts=[describe(c, outlets, "en") for c in found["conflicts"]],
        )

    async def digest(request: Request) -> Response:
        from ..digest import (
            build_digest,
            render_digest,
        )  # the model stack: imported on first use, so the desk starts fast

        fmt, lang = request.path_params["format"], request.query_params.get("lang", "en")
        if fmt not in MEDIA or not (folder / EVENTS).is_file():
            return PlainTextResponse("no such digest: group the results into events first", 404)
        try:
            body = render_digest(build_digest(folder, lang, paragraphs=False), fmt)
        except SummarizerError as exc:  # a language not offered, PDF not installed here
            return PlainTextResponse(f"no digest: {exc}", 409)
        disposition = {"content-disposition": attachment(f"digest.{lang}.{fmt}")}
        return Response(body, media_type=MEDIA[fmt], headers=disposition)

    return [
        Route("/events", listing, name="events"),
        Route("/events", group, methods=["POST"], name="group"),
        Route("/events/{id}", event, name="event"),
        Route("/digest.{format}", digest, name="digest"),
    ]
