"""Batch inputs (streamed files, directories, JSONL, CSV) and the price table."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch.inputs import Item, count_items, iter_items
from summarizer.batch.output import safe_name
from summarizer.batch.pricing import load_prices
from summarizer.batch.progress import Stats
from summarizer.errors import ConfigError

from .test_batch import Stub, article, by_id, run, write_articles
from .test_document import SPECIAL, _special, _within


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param({"id": "a", "text": "t"}, {"id": "a", "text": "t", "error": None}, id="plain"),
        pytest.param({"id": 7, "text": "t"}, {"id": "7"}, id="numeric id"),
        pytest.param({"text": "t"}, {"id": "rows.jsonl:1"}, id="no id: its place"),
        pytest.param(
            {"id": "a", "text": "t", "published": "2024-03-05", "outlet": "SPA", "url": "u"},
            {"published": "2024-03-05", "outlet": "SPA", "url": "u", "title": None},
            id="metadata",
        ),
        pytest.param(
            {"id": "a", "text": "<html>", "input_format": "html"}, {"input_format": "html"}
        ),
        pytest.param({"id": "a"}, {"error": "rows.jsonl:1: no 'text' string"}, id="no text"),
        pytest.param({"id": "a", "text": 5}, {"error": "rows.jsonl:1: no 'text' string"}),
        pytest.param(
            {"id": "a", "text": "t", "published": "5 March"},
            {"error": "rows.jsonl:1: published date '5 March' is not a YYYY-MM-DD date"},
            id="bad date",
        ),
        pytest.param(
            {"id": "a", "text": "t", "input_format": "pdf"},
            {"error": "rows.jsonl:1: input_format 'pdf' is not one of text, html"},
        ),
        pytest.param(["a"], {"error": "rows.jsonl:1: not a JSON object"}, id="a list"),
    ],
)
def test_a_jsonl_line(
    line: Any, expected: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rows.jsonl").write_text(json.dumps(line) + "\n", "utf-8")
    (item,) = iter_items(["rows.jsonl"])
    assert {k: getattr(item, k) for k in expected} == expected


def test_malformed_and_undecodable_lines_are_errors_and_blank_lines_nothing(
    tmp_path: Path,
) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_bytes(b'{"id": "a", "text": "t"}\n\n{oops\n"\xff\xfe"\n')
    items = list(iter_items([rows]))
    assert [i.error for i in items] == [
        None,
        f"{rows}:3: not a JSON object (Expecting property name enclosed in double quotes)",
        f"{rows}:4: not UTF-8",
    ]
    assert count_items([rows]) == len(items)


def test_a_csv_needs_a_text_column(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,body\n1,x\n", "utf-8")
    (item,) = iter_items([table])
    assert item.error == f"{table}: a batch CSV needs a 'text' column"


def test_a_csv_field_may_hold_a_long_article_with_newlines(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    long_text = "سطر\n" * 100_000  # past csv's default field limit of 128 KiB
    table.write_text('id,text\n1,"' + long_text + '"\n2,short\n', "utf-8")
    items = list(iter_items([table]))
    assert [i.text for i in items] == [long_text, "short"]
    assert count_items([table]) == 2


def test_a_directory_is_walked_sorted_recursively_without_hidden_or_output(
    tmp_path: Path,
) -> None:
    for name in ["b.txt", "a.md", "c.html", "d.htm", "e.pdf", ".hidden.txt", "sub/z.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text", "utf-8")
    for name in [".git/x.txt", "out/briefings/x.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("text", "utf-8")
    items = list(iter_items([tmp_path], exclude=tmp_path / "out"))
    names = [Path(i.id).relative_to(tmp_path).as_posix() for i in items]
    assert names == ["a.md", "b.txt", "c.html", "d.htm", "sub/z.txt"]
    assert [i.input_format for i in items] == ["text", "text", "html", "html", "text"]
    assert count_items([tmp_path], exclude=tmp_path / "out") == 5


def test_the_input_hash_follows_text_and_metadata(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    lines = [
        {"id": "1", "text": "t"},
        {"id": "2", "text": "t"},
        {"id": "3", "text": "t", "outlet": "SPA"},
        {"id": "4", "text": "u"},
    ]
    rows.write_text("\n".join(json.dumps(line) for line in lines), "utf-8")
    hashes = [i.input_hash for i in iter_items([rows])]
    assert hashes[0] == hashes[1] and len(set(hashes)) == 3


@pytest.mark.parametrize(
    ("article_id", "name"),
    [
        ("spa-001", "spa-001"),
        ("in/deep/a.txt", "a.txt-"),
        ("x/a.txt", "a.txt-"),
        ("../../etc/passwd", "passwd-"),
        ("خبر ١", "خبر_١-"),
    ],
)
def test_briefing_file_names_are_safe_and_distinct(article_id: str, name: str) -> None:
    assert safe_name(article_id).startswith(name)
    assert "/" not in safe_name(article_id)
    assert safe_name("in/deep/a.txt") != safe_name("x/a.txt")


def test_prices_cover_snapshots_and_take_a_user_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prices = load_prices()
    usage = {"prompt_tokens": 1_000_000, "completion_tokens": 1_000_000}
    assert prices.cost("gpt-4o-mini-2024-07-18", usage) == pytest.approx(0.75)
    assert prices.cost("gpt-4o-mini", usage, discount=0.5) == pytest.approx(0.375)
    assert prices.cost("smollm2", usage) is None
    table = tmp_path / "prices.json"
    table.write_text(json.dumps({"smollm2": [0, 0], "gpt-4o-mini": {"input": 1, "output": 2}}))
    monkeypatch.setenv("SUMMARIZER_PRICES", str(table))
    mine = load_prices()
    assert mine.cost("smollm2", usage) == 0
    assert mine.cost("gpt-4o-mini", usage) == pytest.approx(3.0)
    table.write_text(json.dumps({"m": "cheap"}))
    with pytest.raises(ConfigError, match="price of 'm'"):
        load_prices(table)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "huge"])
def test_a_price_table_that_is_no_small_file_is_refused_at_once(
    special: str, tmp_path: Path
) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "prices.json"
        os.mkfifo(path)  # reading it would block for ever
    elif special == "huge":
        path = tmp_path / "prices.json"
        path.write_bytes(b" " * 2_000_000 + b"{}")
    with pytest.raises(ConfigError, match="price table"):
        load_prices(path)


def test_a_file_named_twice_is_one_input(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("نص", encoding="utf-8")
    (folder / "b.txt").write_text("نص آخر", encoding="utf-8")
    paths = [folder / "a.txt", folder, folder / "a.txt"]
    assert [item.source for item in iter_items(paths)] == [
        str(folder / "a.txt"),
        str(folder / "b.txt"),
    ]
    assert count_items(paths) == 2


# --- Reading under hostile input: special files, limits, names, encodings -------------------


def _errors(paths: list[Any], **options: Any) -> dict[str, str | None]:
    """{id: error} of every item, checking that ``count_items`` counts exactly those items."""
    items = list(iter_items(paths, **options))
    assert count_items(paths, **options) == len(items), "one count per item"
    for item in items:
        (item.id + item.source + (item.error or "")).encode("utf-8")  # printable text
    return {item.id: item.error for item in items}


@pytest.mark.parametrize(("kind", "says"), SPECIAL)
def test_a_special_file_in_a_folder_is_one_error_and_the_batch_goes_on(
    kind: str, says: str, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("نص أول", "utf-8")
    special = _special(kind, tmp_path)
    (tmp_path / "z.txt").write_text("نص أخير", "utf-8")
    errors = _within(30, lambda: _errors([tmp_path]))
    assert isinstance(errors, dict)
    if kind == "directory":  # a folder named like an article is walked, not read
        assert errors == {str(tmp_path / "a.txt"): None, str(tmp_path / "z.txt"): None}
        return
    assert list(errors) == [str(tmp_path / "a.txt"), str(special), str(tmp_path / "z.txt")]
    assert errors[str(tmp_path / "a.txt")] is None and errors[str(tmp_path / "z.txt")] is None
    assert f"{special}: " in (errors[str(special)] or "") and says in (errors[str(special)] or "")


@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv"])
@pytest.mark.parametrize(("kind", "says"), SPECIAL[:4])
def test_a_special_file_named_as_a_path_is_one_error(
    kind: str, says: str, suffix: str, tmp_path: Path
) -> None:
    special = _special(kind, tmp_path).rename(tmp_path / f"{kind}{suffix}")
    if kind == "symlink-loop":
        special.unlink()
        special.symlink_to(special.name)
    errors = _within(30, lambda: _errors([special, "/dev/null"]))
    assert isinstance(errors, dict) and len(errors) == 2
    assert says in (errors[str(special)] or "")
    assert "not a regular file" in (errors["/dev/null"] or "")


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        pytest.param("a.txt", "x" * 45, "a.txt: more than 44 bytes, over the limit", id="file"),
        pytest.param(
            "rows.jsonl",
            json.dumps({"id": "big", "text": "x" * 70_000}) + "\n" + json.dumps({"text": "ok"}),
            "rows.jsonl:1: line longer than 65,656 bytes, over the limit",
            id="jsonl line",
        ),
        pytest.param(
            "rows.csv",
            "id,text\nbig," + "x" * 12 + "\nnext,ok\n",
            "rows.csv:2: malformed CSV (field larger than field limit (11))",
            id="csv field",
        ),
    ],
)
def test_reads_stop_at_the_size_limit(
    name: str, content: str, error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(content, "utf-8")
    errors = _errors([name], max_chars=10)
    assert error in (list(errors.values())[0] or "")
    assert list(errors.values())[1:] in ([], [None]), "the rows after it are read"


def test_a_long_jsonl_line_is_never_held_whole(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    with rows.open("wb") as file:  # 200 MB of one line, written sparsely
        file.write(b'{"text": "')
        file.seek(200_000_000)
        file.write(b'"}\n{"id": "after", "text": "ok"}\n')
    started = tracemalloc.start() or tracemalloc.get_traced_memory()[1]
    errors = _errors([rows], max_chars=1_000)
    peak = tracemalloc.get_traced_memory()[1] - started
    tracemalloc.stop()
    assert list(errors) == [f"{rows}:1", "after"]
    assert peak < 1_000_000, f"{peak:,} bytes held"


@pytest.mark.parametrize(
    ("raw_name", "shown"),
    [
        pytest.param("خبر.txt".encode("cp1256"), "خبر.txt", id="windows-1256 arabic"),
        pytest.param(b"\xff\xfe.txt", "\\xff\\xfe.txt", id="not text"),
    ],
)
def test_an_undecodable_file_name_becomes_a_printable_id(
    raw_name: bytes, shown: str, tmp_path: Path
) -> None:
    os.fsdecode(bytes(tmp_path) + b"/" + raw_name)
    Path(os.fsdecode(bytes(tmp_path) + b"/" + raw_name)).write_text("نص الخبر", "utf-8")
    (item,) = iter_items([tmp_path])
    assert (item.id, item.source, item.text) == (f"{tmp_path}/{shown}",) * 2 + ("نص الخبر",)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            '{"id": "x\\udc80", "text": "نص"}', {"id": "x\\udc80", "error": None}, id="id"
        ),
        pytest.param(
            '{"id": "a", "text": "x\\udc80"}',
            {"error": "rows.jsonl:1: 'text': holds lone surrogates (such as \\udc80), not text"},
            id="text",
        ),
        pytest.param(
            '{"id": "a", "text": "نص", "title": "\\ud800"}',
            {"error": "rows.jsonl:1: 'title' holds lone surrogates (such as \\udc80), not text"},
            id="title",
        ),
        pytest.param(
            '{"id": "a", "text": "نص\\u0000"}',
            {"error": "rows.jsonl:1: 'text': binary input (NUL characters), not a text article"},
            id="nul",
        ),
        pytest.param(
            '{"id": "a", "text": "' + "\\u001b[2J\\u0007" * 5 + '"}',
            {
                "error": "rows.jsonl:1: 'text': binary input (control characters), "
                "not a text article"
            },
            id="control characters",
        ),
        pytest.param(
            '{"id": "a", "text": " \\n"}',
            {"error": "rows.jsonl:1: 'text': empty input"},
            id="empty",
        ),
    ],
)
def test_jsonl_text_gets_the_file_checks_and_errors_name_the_line(
    line: str, expected: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("rows.jsonl").write_text(line + "\n", "utf-8")
    (item,) = iter_items(["rows.jsonl"])
    assert {k: getattr(item, k) for k in expected} == expected
    (item.id + item.source + (item.error or "")).encode("utf-8")


def test_a_jsonl_line_with_a_bad_byte_is_read_with_a_warning(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    text = "التقى الوزيران في الرياض|وبحثا التعاون الدفاعي بين البلدين الشقيقين"
    line = json.dumps({"text": text}, ensure_ascii=False).encode().replace(b"|", b"\xff")
    rows.write_bytes(line)
    (item,) = iter_items([rows])
    assert item.error is None and item.text == text.replace("|", "\ufffd")
    assert line.index(b"\xff") == 55
    assert item.warnings == (
        f"{rows}:1: 1 byte not valid UTF-8 replaced with U+FFFD (the first at byte offset 55)",
    )


ROWS = [["id", "text", "outlet"], ["1", "التقى وزير الدفاع نظيره", "واس"], ["2", "بحث التعاون", ""]]


@pytest.mark.parametrize(
    "encoding",
    [
        pytest.param("cp1256", id="windows-1256 (Excel's CSV on Arabic Windows)"),
        pytest.param("utf-16", id="utf-16 with BOM"),
        pytest.param("utf-8-sig", id="utf-8 with BOM"),
        pytest.param("utf-8", id="utf-8"),
    ],
)
def test_a_csv_in_the_encodings_excel_writes_is_read(encoding: str, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    with table.open("w", newline="", encoding=encoding) as file:
        csv.writer(file).writerows(ROWS)
    items = list(iter_items([table]))
    assert [(i.id, i.text, i.outlet, i.error) for i in items] == [
        ("1", ROWS[1][1], "واس", None),
        ("2", ROWS[2][1], None, None),
    ]
    assert count_items([table]) == 2


@pytest.mark.parametrize(
    ("content", "error"),
    [
        pytest.param("id;text\n1;نص\n", "the header is one column holding ';'", id="semicolons"),
        pytest.param("id,body\n1,x\n", "a batch CSV needs a 'text' column", id="no text column"),
        pytest.param(
            bytes(range(256)).decode("latin-1"), "binary or unknown encoding", id="binary"
        ),
    ],
)
def test_a_csv_that_cannot_be_read_is_one_error_naming_the_file(
    content: str, error: str, tmp_path: Path
) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes(
        content.encode("utf-8") if "\x00" not in content else content.encode("latin-1")
    )
    assert _errors([table]) == {str(table): f"{table}: {error}" + _tail(error)}


def _tail(error: str) -> str:
    return {
        "the header is one column holding ';'": ": separate columns with commas",
        "binary or unknown encoding": " (not UTF-8, UTF-16 with BOM, or Arabic Windows-1256)",
    }.get(error, "")


@pytest.mark.parametrize(
    ("row", "error"),
    [
        pytest.param(
            "3," + "\x1b\x07" * 5, "t.csv:3: 'text': binary input (control", id="controls"
        ),
        pytest.param("3,", "t.csv:3: 'text': empty input", id="empty"),
    ],
)
def test_csv_text_gets_the_file_checks_and_errors_name_the_line(
    row: str, error: str, tmp_path: Path
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("id,text\n1,نص\n" + row + "\n4,نص آخر\n", "utf-8")
    errors = _errors([table])
    assert errors["1"] is None and errors["4"] is None
    assert (errors["3"] or "").startswith(f"{tmp_path}/{error}")


def test_a_csv_row_with_a_bad_byte_is_read_with_a_warning(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_bytes("id,text\n1,نص الخبر\n2,بحث التعاون\n".encode().replace(b" ", b"\xff", 1))
    items = list(iter_items([table]))
    assert [(i.text, i.warnings, i.error) for i in items] == [
        ("نص\ufffdالخبر", (f"{table}:2: 1 byte not valid UTF-8 replaced with U+FFFD",), None),
        ("بحث التعاون", (), None),
    ]


def test_a_batch_ends_every_hostile_input_as_one_line_and_carries_reading_warnings(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    write_articles(inputs, range(2))
    damaged = article(2).encode() + b"\xff\n"  # past every quote: the answer stays grounded
    (inputs / "damaged.txt").write_bytes(damaged)
    arabic_name = Path(os.fsdecode(bytes(inputs) + "/خبر.txt".encode("cp1256")))
    arabic_name.write_text(article(3), "utf-8")
    odd_name = Path(os.fsdecode(bytes(inputs) + b"/\xff\xfe.txt"))
    odd_name.write_text(article(4), "utf-8")
    for kind, _ in [p.values for p in SPECIAL]:
        _special(str(kind), inputs)
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        json.dumps({"id": "x\udc80", "text": article(5)}, ensure_ascii=True)
        + "\n"
        + json.dumps({"id": "nul", "text": article(6) + "\x00"})
        + "\n",
        "utf-8",
    )
    stub = Stub()

    stats = _within(60, lambda: run([inputs, rows], tmp_path / "out", stub))

    lines = by_id(tmp_path / "out")
    assert {k: v["status"] for k, v in lines.items()} == {
        str(inputs / "a0000.txt"): "ok",
        str(inputs / "a0001.txt"): "ok",
        str(inputs / "damaged.txt"): "ok",
        f"{inputs}/خبر.txt": "ok",
        f"{inputs}/\\xff\\xfe.txt": "ok",
        str(inputs / "fifo.txt"): "error",
        str(inputs / "link-to-dev-zero.txt"): "error",
        str(inputs / "socket.txt"): "error",
        str(inputs / "symlink-loop.txt"): "error",
        "x\\udc80": "ok",
        "nul": "error",
    }
    assert lines[str(inputs / "damaged.txt")]["meta"]["warnings"][0] == (
        f"{inputs / 'damaged.txt'}: 1 byte not valid UTF-8 replaced with U+FFFD "
        f"(the first at byte offset {len(damaged) - 2:,})"
    )
    assert (
        lines["nul"]["error"]
        == f"{rows}:2: 'text': binary input (NUL characters), not a text article"
    )
    assert isinstance(stats, Stats) and stats.failed == 5 and stats.total == len(lines)
    for kind in ("fifo", "link-to-dev-zero", "socket"):
        assert "not a regular file" in lines[str(inputs / f"{kind}.txt")]["error"]


def test_a_batch_reads_up_to_the_limit_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("x" * 1_000, "utf-8")
    run([tmp_path / "in"], tmp_path / "out", Stub(), max_input_chars=10)
    (line,) = by_id(tmp_path / "out").values()
    assert "more than 44 bytes, over the limit of 10 characters" in line["error"]


def test_a_folder_that_cannot_be_listed_is_one_error_not_inputs_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ["a.txt", "locked/b.txt", "z/c.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("نص", "utf-8")
    scandir = os.scandir

    def refuse_locked(path: Any) -> Any:  # root reads every folder: refuse one by hand
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse_locked)
    assert _errors([tmp_path]) == {
        str(tmp_path / "a.txt"): None,
        str(tmp_path / "locked"): f"{tmp_path / 'locked'}: cannot list the folder "
        "(Permission denied)",
        str(tmp_path / "z" / "c.txt"): None,
    }


def test_an_item_stored_as_json_comes_back_equal(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_bytes('{"id": "a", "text": "نص|الخبر"}\n'.encode().replace(b"|", b"\xff"))
    (item,) = iter_items([rows])
    assert item.warnings
    assert Item(**json.loads(json.dumps(dataclasses.asdict(item)))) == item
