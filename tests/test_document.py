"""Reading article bytes: the encodings SPEC accepts, and one clear error for the rest."""

from __future__ import annotations

import codecs

import pytest

from summarizer.document import check_article, decode
from summarizer.errors import InputError

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
