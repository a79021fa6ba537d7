"""Screenshots of the review desk for the README (``make screenshots``): a desk on uvicorn
whose inbox batch replays the event gold set's recorded answers, photographed by headless
Chromium (Debian's; nothing is downloaded).

    .venv/bin/python -m tests.desk_shots docs/
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from starlette.testclient import TestClient

from summarizer.config import Settings
from summarizer.evaluation.events import RECORDED_MODEL
from summarizer.replay import ReplayTransport
from summarizer.serve.app import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = [
    "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--hide-scrollbars", "--window-size=1300,1000",
]  # fmt: skip


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "desk"
        data.mkdir()
        cassettes = sorted((ROOT / "fixtures" / "cassettes" / "events").glob("*.yaml"))
        settings = Settings(model=RECORDED_MODEL, api_key="replay-no-key", use_cache=False)
        app = create_app(data, settings=settings, transport=lambda: ReplayTransport(cassettes))
        with TestClient(app) as client:  # one batch through the inbox, as a user would
            page = client.get("/inbox").text
            csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            articles = (ROOT / "fixtures" / "events" / "articles.jsonl").read_bytes()
            form = {"csrf": csrf, "who": "Mona", "schema": "meeting", "lang": "en"}
            upload = [("files", ("day.jsonl", articles, "text/plain"))]
            client.post("/inbox", data=form, files=upload)
            app.state.inbox.wait(120)
            client.post("/events", data={"csrf": csrf})  # grouped into events
            listing = client.get("/events").text
            event = listing.split('<a href="/events/', 1)[1].split('"', 1)[0]
        batch = next((data / "runs").iterdir()).name
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )  # noqa: E501
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        shots = {
            "desk.inbox": "/inbox",
            "desk.results": "/",
            "desk.review.ar": f"/r/{batch}/e05_petra_ar",
            "desk.event": f"/events/{event}",
        }
        for name, path in shots.items():
            profile = tempfile.mkdtemp()
            subprocess.run([*CHROMIUM, f"--user-data-dir={profile}",
                            f"--screenshot={out.resolve() / name}.png",
                            f"http://127.0.0.1:{port}{path}"],
                           check=True, capture_output=True, timeout=60)  # fmt: skip
            shutil.rmtree(profile, ignore_errors=True)
            print(f"{out / name}.png")
        server.should_exit = True


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
