"""The output directory as ``summarizer batch`` meets it: locked, repaired, refused in one line.

One run at a time holds ``--out``; a ``results.jsonl`` that no longer matches the state is
rebuilt; an ``--out`` that cannot be used (a file, read-only, a state file that is not a
database) is one line and exit 2; inputs that never started are exit 1; Ctrl-C while the run
starts is "stopped", exit 130. Run in process (``cli_run``) against ``counting_server``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch import runner
from summarizer.batch.command import conclude
from summarizer.batch.inputs import Item
from summarizer.batch.lock import OutLock
from summarizer.batch.progress import Stats
from summarizer.errors import BatchIncomplete

from .cli_run import run_cli
from .test_batch import write_articles
from .test_batch_cli import counting_server


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    with counting_server(latency=0.0) as serving:
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{serving.server_address[1]}/v1")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
        monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "cache"))
        yield serving


def batch(
    inputs: Path, out: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, *extra: str
) -> tuple[int, str]:
    code, _, stderr = run_cli(
        ["batch", str(inputs), "--out", str(out), *extra], monkeypatch, capsys
    )
    return code, stderr


def last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def test_a_second_run_on_the_same_out_refuses_at_once(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(3))
    out.mkdir()
    held = OutLock(out)  # what a first run, still going, holds
    try:
        code, stderr = batch(inputs, out, monkeypatch, capsys)
    finally:
        held.release()
    assert code == 1
    assert stderr.strip() == (
        f"summarizer: {out} is in use by another batch run; wait for it to end, or give"
        " another --out"
    )
    assert server.log == [], "refused before anything was asked"
    code, _ = batch(inputs, out, monkeypatch, capsys)
    assert code == 0 and len(server.log) == 3, "the lock went with its holder"


def _emptied(path: Path) -> None:
    path.write_text("", "utf-8")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-40])


def _same_size_edit(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data.replace(b'"ok"', b'"ko"', 1))


@pytest.mark.parametrize(
    "damage", [_emptied, _truncated, _same_size_edit], ids=["emptied", "truncated", "edited"]
)
def test_results_are_rebuilt_when_they_do_not_match_the_state(
    tmp_path: Path,
    server: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    damage: Callable[[Path], None],
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(3))
    assert batch(inputs, out, monkeypatch, capsys)[0] == 0
    complete = (out / "results.jsonl").read_bytes()
    damage(out / "results.jsonl")  # by hand, after a clean batch
    assert batch(inputs, out, monkeypatch, capsys)[0] == 0
    assert (out / "results.jsonl").read_bytes() == complete
    assert len(server.log) == 3, "rebuilt from the state, not asked again"


def test_inputs_that_never_started_are_exit_1(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    paths = write_articles(inputs, range(3))
    real = runner.iter_items

    def broken(given: Any, **options: Any) -> Iterator[Item]:
        """The input stream dies after its first input (a device that fails mid-read)."""
        yield next(real(given, **options))
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(runner, "iter_items", broken)
    code, stderr = batch(inputs, out, monkeypatch, capsys)
    assert code == 1
    assert "reading the inputs failed: OSError" in last_line(stderr)
    assert "not started" in stderr  # the end table says so too
    assert server.log == [0] and paths


@pytest.mark.parametrize(
    ("stats", "message"),
    [
        (Stats(total=3, done={"ok": 1, "no_event": 0, "error": 0}), "2 of 3 inputs not started"),
        (Stats(total=2, done={"ok": 1, "no_event": 0, "error": 1}), "1 of 2 inputs failed"),
        (Stats(total=1, faults=["reading the inputs failed: X"]), "reading the inputs failed"),
    ],
    ids=["not-started", "failed", "fault"],
)
def test_anything_short_of_every_input_ending_is_batch_incomplete(
    tmp_path: Path, stats: Stats, message: str
) -> None:
    with pytest.raises(BatchIncomplete, match=message):
        conclude(stats, tmp_path)


def test_every_input_done_concludes_quietly(tmp_path: Path) -> None:
    conclude(Stats(total=2, done={"ok": 1, "no_event": 1, "error": 0}), tmp_path)
    # --submit-only: the inputs not finished here wait in the provider's batch.
    conclude(Stats(total=2), tmp_path, waiting=True)


def read_only_dir(tmp_path: Path) -> Path:
    """A directory this process cannot write into, even as root (where modes do not bind)."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    for folder in (Path("/sys/fs"), Path("/proc/1")):
        if folder.is_dir() and not _writable(folder):
            return folder
    pytest.skip("no directory here that root cannot write")


def _writable(folder: Path) -> bool:
    try:
        (folder / ".summarizer-probe").touch()
    except OSError:
        return False
    (folder / ".summarizer-probe").unlink()
    return True


def _a_file(tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "results.txt"
    out.write_text("not a folder")
    return out, f"summarizer: {out}: not a directory"


def _under_a_file(tmp_path: Path) -> tuple[Path, str]:
    parent = tmp_path / "file"
    parent.write_text("not a folder")
    return parent / "out", f"summarizer: {parent / 'out'}: cannot write the batch there"


def _read_only(tmp_path: Path) -> tuple[Path, str]:
    folder = read_only_dir(tmp_path)
    return folder, f"summarizer: {folder}"


def _garbage_state(tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "out"
    out.mkdir()
    (out / "state.sqlite").write_bytes(b"this is not a database\n" * 200)
    return out, f"summarizer: {out / 'state.sqlite'}: not a batch state database"


@pytest.mark.parametrize(
    "unusable",
    [_a_file, _under_a_file, _read_only, _garbage_state],
    ids=["a-file", "under-a-file", "read-only", "garbage-state"],
)
def test_an_unusable_out_is_one_line_and_exit_2(
    tmp_path: Path,
    server: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: Any,
    unusable: Callable[[Path], tuple[Path, str]],
) -> None:
    inputs = tmp_path / "in"
    write_articles(inputs, range(2))
    out, message = unusable(tmp_path)
    code, stderr = batch(inputs, out, monkeypatch, capsys)
    assert code == 2, stderr
    assert len(stderr.strip().splitlines()) == 1 and stderr.startswith(message), stderr
    assert "Traceback" not in stderr and server.log == []
    if unusable is _garbage_state:
        assert "move it away" in stderr


def test_ctrl_c_while_the_run_starts_is_stopped_130(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(2))

    def interrupted(*_: Any) -> None:
        raise KeyboardInterrupt  # Ctrl-C after the workers started, before any article

    monkeypatch.setattr(runner, "State", interrupted)
    code, stderr = batch(inputs, out, monkeypatch, capsys, "--workers", "2")
    assert code == 130
    assert stderr.strip() == "summarizer: stopped"
    assert multiprocessing.active_children() == [], "the workers were stopped"
    OutLock(out).release()  # and --out is free again


def test_inputs_that_cannot_even_be_counted_are_one_line_and_exit_1(
    tmp_path: Path, server: Any, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    write_articles(inputs, range(2))

    def loop(*_: Any, **__: Any) -> Iterator[Item]:
        raise RecursionError("maximum recursion depth exceeded")  # a symlink loop, say
        yield  # a generator, as the real one is

    def count(*_: Any, **__: Any) -> int:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(runner, "iter_items", loop)
    monkeypatch.setattr(runner, "count_items", count)
    code, stderr = batch(inputs, out, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in stderr
    assert last_line(stderr) == (
        "summarizer: reading the inputs failed: RecursionError: maximum recursion depth"
        " exceeded; run the same command again to continue"
    )
