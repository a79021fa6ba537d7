"""The wheel carries prompts, schemas and the demo: installed alone, it summarises a fixture."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = dist.glob("summarizer-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    # The lock pins instructor and openai, whose request bodies the cassettes hold.
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            str(wheel),
            "-c",
            str(ROOT / "requirements" / "dev.lock"),
        ],
        check=True,
        timeout=600,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [str(env_dir / "bin" / "summarizer"), "demo", "--out", "out"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "site-packages/summarizer/_data/demo/cassettes" in done.stdout
    assert (elsewhere / "out" / "003_9eda28cdddffed99.meeting.en.json").exists()
    assert (elsewhere / "out" / "events-demo" / "events" / "events.jsonl").exists()
    for fmt in ("md", "html"):  # the digest templates and cassettes ship too (not its extras)
        assert (elsewhere / "out" / "events-demo" / f"digest.ar.{fmt}").stat().st_size > 0
    schema = subprocess.run(
        [str(env_dir / "bin" / "summarizer"), "schema", "meeting"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"MeetingSummary"' in schema.stdout
