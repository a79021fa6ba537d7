"""Batch inputs (streamed files, directories, JSONL, CSV) and the price table."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.batch.inputs import count_items, iter_items
from summarizer.batch.output import safe_name
from summarizer.batch.pricing import load_prices
from summarizer.errors import ConfigError


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
