"""Table-driven tests of the Arabic-aware folding and its map back to the original text."""

from __future__ import annotations

import random

import pytest

from summarizer.normalize import (
    normalize,
    normalize_with_map,
    original_span,
    skeleton_with_map,
)

FOLDS = [
    pytest.param("مُحَمَّدٌ", "محمد", id="tashkeel"),
    pytest.param("هٰذا", "هذا", id="superscript-alef-0670"),
    pytest.param("صلى\u0610\u061a", "صلي", id="honorific-marks-0610-061a"),
    pytest.param("قال\u06d6 الله\u06ed", "قال الله", id="quranic-marks-06d6-06ed"),
    pytest.param("التعـــاون", "التعاون", id="tatweel"),
    pytest.param("a\u200bb\u200cc\u200dd", "abcd", id="zwsp-zwnj-zwj"),
    pytest.param("\u200eوزير\u200f\u061c", "وزير", id="lrm-rlm-alm"),
    pytest.param("\u202bNATO\u202c \u2067ICI\u2069", "nato ici", id="embeddings-isolates"),
    pytest.param("\ufeffde\u00adfence", "defence", id="bom-soft-hyphen"),
    pytest.param("أ إ آ ٱ", "ا ا ا ا", id="alef-forms"),
    pytest.param("فى ی ئ", "في ي ي", id="alef-maqsura-yeh-forms"),
    pytest.param("مؤتمر", "موتمر", id="waw-hamza"),
    pytest.param("المملكة ۀ ھ", "المملكه ه ه", id="ta-marbuta-heh-forms"),
    pytest.param("کمارا", "كمارا", id="keheh"),
    pytest.param("٠١٢٣٤٥٦٧٨٩", "0123456789", id="arabic-indic-digits"),
    pytest.param("۰۱۲۳۴۵۶۷۸۹", "0123456789", id="persian-digits"),
    pytest.param("٣٫٥ و١٬٠٠٠", "3.5 و1,000", id="arabic-decimal-thousands"),
    pytest.param("أ، ب؛ ج؟ ٪", "ا, ب; ج? %", id="arabic-punctuation"),
    pytest.param("«»“”„″", '""""""', id="double-quotes"),
    pytest.param("‘’‚′", "''''", id="single-quotes"),
    pytest.param("‐‑‒–—―−", "-------", id="dashes"),
    pytest.param("a \t\n\r\n\u2003b", "a b", id="whitespace-run"),
    pytest.param("24\u00a0أكتوبر", "24 اكتوبر", id="nbsp"),
    pytest.param("a \u200f b", "a b", id="mark-between-spaces"),
    pytest.param("  x  ", " x ", id="edges-collapsed-not-stripped"),
    pytest.param("NATO Straße", "nato strasse", id="casefold"),
    pytest.param("ﻻ ﺃﻫﻼ", "لا اهلا", id="nfkc-presentation-forms"),
    pytest.param("ﷲ", "الله", id="nfkc-allah-ligature"),
    pytest.param("ＮＡＴＯ１２", "nato12", id="nfkc-fullwidth"),
    pytest.param("ا\u0654 ي\u0654 و\u0654", "ا ي و", id="decomposed-hamza"),
    pytest.param("Pe\u0301rez", "pérez", id="decomposed-latin-composes"),
    pytest.param("", "", id="empty"),
    pytest.param(
        'الأمير " خالد بن سلمان بن عبد العزيز " في مدينة الرياض، اليوم ٢٤',
        'الامير " خالد بن سلمان بن عبد العزيز " في مدينه الرياض, اليوم 24',
        id="mixed-seed-line",
    ),
]


@pytest.mark.parametrize(("text", "expected"), FOLDS)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


MAPS = [
    pytest.param("abc", "abc", [0, 1, 2, 3], id="identity"),
    pytest.param("ﻻ", "لا", [0, 0, 1], id="lam-alef-ligature-1-to-2"),
    pytest.param("aﻻb", "aلاb", [0, 1, 1, 2, 3], id="ligature-inside"),
    pytest.param("ß", "ss", [0, 0, 1], id="casefold-1-to-2"),
    pytest.param("بَـب", "بب", [0, 3, 4], id="mark-and-tatweel-dropped"),
    pytest.param("a \r\n b", "a b", [0, 1, 5, 6], id="space-run-maps-to-first"),
    pytest.param("\u200fو", "و", [1, 2], id="leading-rlm"),
    pytest.param("x\u200f", "x", [0, 2], id="trailing-rlm-sentinel-is-len"),
    pytest.param("ا\u0654ب", "اب", [0, 2, 3], id="composed-cluster"),
    pytest.param("e\u0301x", "éx", [0, 2, 3], id="latin-cluster"),
    pytest.param("٢٤", "24", [0, 1, 2], id="digits"),
]


@pytest.mark.parametrize(("text", "folded", "pos"), MAPS)
def test_normalize_with_map(text: str, folded: str, pos: list[int]) -> None:
    assert normalize_with_map(text) == (folded, pos)


SKELETONS = [
    pytest.param("عبد العزيز", "عبدالعزيز", [0, 1, 2, 4, 5, 6, 7, 8, 9, 10], id="space"),
    pytest.param('" خالد "', "خالد", [2, 3, 4, 5, 8], id="quote-marks"),
    pytest.param("A-1، ٢", "a12", [0, 2, 5, 6], id="punctuation-digits"),
    pytest.param("ﻻ!", "لا", [0, 0, 2], id="ligature"),
    pytest.param(' ،" ', "", [4], id="nothing-left"),
]


@pytest.mark.parametrize(("text", "skeleton", "pos"), SKELETONS)
def test_skeleton_with_map(text: str, skeleton: str, pos: list[int]) -> None:
    assert skeleton_with_map(text) == (skeleton, pos)


SPANS = [
    # (text, folded slice [i:j], expected original text, with text= or not)
    pytest.param("قال ﻻ يوجد", 4, 5, "ﻻ", False, id="half-ligature-covers-whole"),
    pytest.param("قال ﻻ يوجد", 5, 8, "ﻻ ي", False, id="starts-inside-ligature"),
    pytest.param("a\u200fb", 0, 2, "a\u200fb", False, id="removed-inside-kept"),
    pytest.param("\u200fab\u200f", 0, 2, "ab", True, id="removed-outside-dropped"),
    pytest.param("أيضاً x", 0, 4, "أيضا", False, id="no-text-stops-at-letter"),
    pytest.param("أيضاً x", 0, 4, "أيضاً", True, id="text-takes-last-marks"),
    pytest.param("مـُحمد", 0, 1, "م", True, id="tatweel-after-last-not-taken"),
    pytest.param("a\r\nb", 0, 3, "a\r\nb", False, id="crlf-inside"),
]


@pytest.mark.parametrize(("text", "i", "j", "expected", "with_text"), SPANS)
def test_original_span(text: str, i: int, j: int, expected: str, with_text: bool) -> None:
    _, pos = normalize_with_map(text)
    start, end = original_span(pos, i, j, text=text if with_text else None)
    assert text[start:end] == expected


@pytest.mark.parametrize(("i", "j"), [(0, 0), (2, 1), (-1, 1), (0, 4)])
def test_original_span_rejects_bad_slices(i: int, j: int) -> None:
    _, pos = normalize_with_map("abc")
    with pytest.raises(ValueError):
        original_span(pos, i, j)


SAMPLE = (
    'حيث التقى وزير الدفاع السعودي الأمير " خالد بن سلمان بن عبد العزيز " في مدينة\r\n'
    "الرياض،\u200f ويشمل أيضاً ﻻ ٢٤ من شهر أكتوبر ٢٠٢٣ — «الناتو» NATO’s Straße\u00a0x"
)


def test_map_invariants_on_mixed_text() -> None:
    folded, pos = normalize_with_map(SAMPLE)
    assert len(pos) == len(folded) + 1
    assert pos[-1] == len(SAMPLE)
    assert all(a <= b for a, b in zip(pos, pos[1:], strict=False))
    rng = random.Random(7)
    for _ in range(300):
        i = rng.randrange(len(folded))
        j = rng.randrange(i + 1, len(folded) + 1)
        start, end = original_span(pos, i, j, text=SAMPLE)
        # Refolding the original span gives back the slice, save where the slice cuts an
        # expansion (ﻻ, ß) in half or starts or ends on a space.
        refolded = normalize(SAMPLE[start:end]).strip(" ")
        assert folded[i:j].strip(" ") in refolded


def test_folding_is_idempotent() -> None:
    once = normalize(SAMPLE)
    assert normalize(once) == once


def test_composed_and_decomposed_fold_alike() -> None:
    assert normalize("Pe\u0301rez") == normalize("Pérez")
    assert normalize("ا\u0654مير") == normalize("أمير")
