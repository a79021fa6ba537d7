"""Reading article bytes: the encodings SPEC accepts, and one clear error for the rest."""

from __future__ import annotations

import codecs
import io
import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarizer.document import (
    Decoded,
    check_article,
    check_text,
    decode,
    decode_text,
    max_input_bytes,
    printable,
    printable_path,
    read_file,
    read_source,
)
from summarizer.errors import InputError

from .cli_run import run_cli
from .crafted import ARTICLE_000, good_meeting
from .loopback import serve

ARABIC = (
    "التقى وزير الدفاع السعودي في مدينة الرياض وزير الدفاع الوطني في غينيا."
    "\r\nوبحث الجانبان التعاون."
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(ARABIC.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + ARABIC.encode("utf-8"), id="utf-8-bom"),
        pytest.param(ARABIC.encode("utf-16"), id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(ARABIC.encode("cp1256"), id="windows-1256"),
    ],
)
def test_accepted_encodings_give_the_same_text(data: bytes) -> None:
    assert decode(data) == ARABIC  # BOM dropped, CRLF kept


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n\t ", "empty", id="whitespace"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary", id="png"),
        pytest.param(bytes(range(1, 32)) * 20, "binary", id="control-bytes"),
        pytest.param("café crème".encode("latin-1"), "unknown encoding", id="latin-1"),
        pytest.param(codecs.BOM_UTF8 + b"   ", "empty", id="bom-only"),
    ],
)
def test_refused_input_names_the_reason(data: bytes, says: str) -> None:
    with pytest.raises(InputError, match=says):
        decode(data, "a.txt")


def test_too_long_article_names_the_limit() -> None:
    with pytest.raises(InputError, match="over the limit of 100"):
        check_article("x" * 101, max_chars=100)


def test_leading_bom_is_dropped_from_api_text() -> None:
    assert check_article("\ufeffنص", max_chars=100) == "نص"


# --- Reading: only regular files, never past the limit -------------------------------------


def _within(seconds: float, work: Callable[[], object]) -> object:
    """``work()``'s result or exception, failing the test if it blocks (a FIFO read would)."""
    box: list[object] = []

    def target() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # handed back to the test below
            box.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still reading after {seconds}s"
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _special(kind: str, folder: Path) -> Path:
    """A file system object of ``kind`` in ``folder``, named like an article."""
    path = folder / f"{kind}.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        cwd = os.getcwd()
        os.chdir(folder)  # a socket path is limited to ~100 bytes; tmp_path may be longer
        try:
            server.bind(path.name)
        finally:
            os.chdir(cwd)
        server.close()
    elif kind == "symlink-loop":
        path.symlink_to(path.name)
    elif kind == "directory":
        path.mkdir()
    return path


SPECIAL = [
    pytest.param("fifo", "not a regular file", id="fifo"),
    pytest.param("link-to-dev-zero", "not a regular file", id="symlink-to-dev-zero"),
    pytest.param("socket", "not a regular file", id="socket"),
    pytest.param("symlink-loop", "a symlink loop, not a file", id="symlink-loop"),
    pytest.param("directory", "is a directory", id="directory"),
]


@pytest.mark.parametrize(("kind", "says"), SPECIAL)
def test_only_regular_files_are_read(kind: str, says: str, tmp_path: Path) -> None:
    path = _special(kind, tmp_path)
    with pytest.raises(InputError, match=says) as caught:
        _within(10, lambda: read_source(str(path)))
    assert str(caught.value).startswith(f"{path}: ")


def test_a_device_named_as_a_path_is_refused_at_once() -> None:
    with pytest.raises(InputError, match="/dev/zero: not a regular file"):
        _within(10, lambda: read_source("/dev/zero"))


class _Endless(io.RawIOBase):
    """``yes``: an endless stream that counts what was read, and fails past ``stop`` bytes."""

    def __init__(self, stop: int) -> None:
        self.read_bytes = 0
        self.stop = stop

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert self.read_bytes < self.stop, "read on past the limit"
        view = memoryview(buffer)
        view[:] = b"y" * len(view)
        self.read_bytes += len(view)
        return len(view)


@pytest.mark.parametrize("max_chars", [10, 1_000, 100_000])
def test_stdin_is_read_only_up_to_the_limit(
    max_chars: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = _Endless(stop=10 * max_input_bytes(max_chars) + 100_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream)))
    with pytest.raises(InputError, match=r"^stdin: .*over the limit .*--max-input-chars\)$"):
        read_source("-", max_chars)
    assert stream.read_bytes <= max_input_bytes(max_chars) + io.DEFAULT_BUFFER_SIZE


@pytest.mark.parametrize(
    ("size", "refused"),
    [
        pytest.param(max_input_bytes(10), False, id="at the limit"),
        pytest.param(max_input_bytes(10) + 1, True, id="one byte past"),
        pytest.param(10 * max_input_bytes(10), True, id="far past"),
    ],
)
def test_a_file_is_read_only_up_to_the_limit(size: int, refused: bool, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * size)
    if refused:
        with pytest.raises(InputError, match="over the limit of 10 characters"):
            read_file(path, max_chars=10)
    else:
        assert len(read_file(path, max_chars=10)) == size


# --- Decoding: damaged UTF-8 stays UTF-8 ----------------------------------------------------

SEED = Path(__file__).parent.parent / "fixtures" / "articles" / "003_9eda28cdddffed99.txt"


def _damaged(offsets: list[int], bom: bytes = b"") -> tuple[bytes, str, int]:
    """The Arabic seed article with the ASCII byte at or after each offset made 0xFF:
    (bytes, the text expected, offset of the first bad byte in the bytes)."""
    original = SEED.read_bytes()
    data = bytearray(original)
    text = list(original.decode("utf-8"))
    at = []
    for offset in offsets:
        while data[offset] >= 0x80:  # an ASCII byte: one character, one byte
            offset += 1
        text[len(original[:offset].decode("utf-8"))] = "\ufffd"
        data[offset] = 0xFF
        at.append(offset)
    return bom + bytes(data), "".join(text), len(bom) + at[0]


@pytest.mark.parametrize(
    ("offsets", "bom", "count"),
    [
        pytest.param([1000], b"", "1 byte", id="one bad byte"),
        pytest.param([40, 2500, 5000], b"", "3 bytes", id="three bad bytes"),
        pytest.param([1000], codecs.BOM_UTF8, "1 byte", id="one bad byte after a BOM"),
    ],
)
def test_utf8_with_a_few_bad_bytes_is_read_as_utf8_with_a_warning(
    offsets: list[int], bom: bytes, count: str
) -> None:
    data, expected, first = _damaged(offsets, bom)
    decoded = decode_text(data, "a.txt")
    assert len(decoded.text) == len(expected) == 3_703  # not 6,823 characters of cp1256
    assert decoded.text == expected
    assert decoded.warnings == (
        f"a.txt: {count} not valid UTF-8 replaced with U+FFFD (the first at byte offset {first:,})",
    )


def test_utf8_damaged_past_repair_is_not_read_as_windows_1256() -> None:
    data = bytearray(SEED.read_bytes())
    data[::20] = b"\xff" * len(data[::20])  # one byte in twenty
    with pytest.raises(InputError, match="unknown encoding"):
        decode_text(bytes(data), "a.txt")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(SEED.read_text("utf-8"), id="seed article"),
        pytest.param(ARABIC, id="short"),
        pytest.param("«" + ARABIC + "» … " + ARABIC, id="guillemets and an ellipsis"),
    ],
)
def test_windows_1256_arabic_is_still_read(text: str) -> None:
    assert decode_text(text.encode("cp1256")) == Decoded(text)


# --- Names and text that are not UTF-8 --------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("خبر عاجل.txt".encode("cp1256"), "خبر عاجل.txt", id="cp1256 arabic name"),
        pytest.param(
            "مجلد/".encode() + "بيان.md".encode("cp1256"), "مجلد/بيان.md", id="utf-8 folder"
        ),
        pytest.param(b"\xff\xfeab.txt", "\\xff\\xfeab.txt", id="not text: escaped"),
        pytest.param("café.txt".encode("latin-1"), "caf\\xe9.txt", id="latin-1: escaped"),
        pytest.param("خبر.txt".encode(), "خبر.txt", id="utf-8 name as it is"),
    ],
)
def test_a_name_that_is_not_utf8_is_shown_as_text(raw: bytes, shown: str) -> None:
    assert printable_path(os.fsdecode(raw)) == shown
    shown.encode("utf-8")  # printable: a UTF-8 file, terminal or database takes it


def test_a_file_with_an_undecodable_name_is_read_by_its_real_name(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + "/خبر.txt".encode("cp1256")))
    path.write_bytes(ARABIC.encode())
    decoded, source = read_source(str(path))
    assert decoded.text == ARABIC and source == f"{tmp_path}/خبر.txt"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("نص\x00نص", "NUL", id="nul"),
        pytest.param("x\x1b[31m\x07" * 10, "control characters", id="escapes"),
        pytest.param("x\udc80", "lone surrogates", id="lone surrogate"),
        pytest.param(" \n", "empty", id="blank"),
    ],
)
def test_text_that_is_no_article_is_refused(text: str, says: str) -> None:
    with pytest.raises(InputError, match=f"^rows.jsonl:3: .*{says}"):
        check_text(text, "rows.jsonl:3")


@pytest.mark.parametrize(
    ("text", "shown"), [("x\udc80", "x\\udc80"), ("خبر", "خبر"), ("\ud800y", "\\ud800y")]
)
def test_printable_escapes_lone_surrogates(text: str, shown: str) -> None:
    assert printable(text) == shown


# --- The command line: what reading noticed reaches the result; refusals are one line ------


def test_a_damaged_file_is_summarised_with_the_warning_first_in_meta(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "article.txt"
    data = ARTICLE_000.encode() + b"\n\xff\n"  # past every quote: the answer stays grounded
    path.write_bytes(data)
    with serve([good_meeting()]) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        code, out, err = run_cli(["summarize", str(path)], monkeypatch, capsys)
    assert code == 0, err
    meta = json.loads(out)["meta"]
    assert meta["warnings"][0] == (
        f"{path}: 1 byte not valid UTF-8 replaced with U+FFFD "
        f"(the first at byte offset {len(data) - 2:,})"
    )
    assert meta["article"]["chars"] == len(ARTICLE_000) + 3


@pytest.mark.parametrize(
    ("path", "says"),
    [
        pytest.param("/dev/zero", "/dev/zero: not a regular file", id="summarize /dev/zero"),
        pytest.param("-", "stdin: more than 4,000,004 bytes, over the limit", id="yes |"),
    ],
)
def test_an_endless_input_ends_at_once_with_one_line(
    path: str,
    says: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    stream = _Endless(stop=50_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream)))
    code, out, err = run_cli(["summarize", path], monkeypatch, capsys)
    assert (code, out) == (1, "")
    assert len(err.strip().splitlines()) == 1 and says in err


@pytest.mark.parametrize(("limit", "bytes_"), [(10, "44"), (20, "84")])
def test_summarize_reads_up_to_the_limit_it_is_given(
    limit: int,
    bytes_: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "article.txt"
    path.write_text("x" * 1_000, "utf-8")
    args = ["summarize", str(path), "--max-input-chars", str(limit)]
    code, _, err = run_cli(args, monkeypatch, capsys)
    assert code == 1
    assert f"more than {bytes_} bytes, over the limit of {limit} characters" in err
