"""Table-driven tests of quote alignment: each tier, offsets in the original, no-match cases."""

from __future__ import annotations

import random

import pytest

from summarizer.grounding import MIN_LOOSE_CHARS, ArticleIndex, MatchKind, Span, locate
from summarizer.normalize import normalize

# Copied from ../shared/seeds/000_85a1f342656380a4.txt (the whole article, LF line endings);
# tests never read ../shared at run time.
SEED = (
    'حيث التقى وزير الدفاع السعودي الأمير " خالد بن سلمان بن عبد العزيز " '
    'في مدينة الرياض، وزير الدولة وزير الدفاع الوطني في غينيا " أبو بكر '
    'صديق كمارا " ، اليوم الثلاثاء الموافق 24 من شهر أكتوبر 2023.\n'
    "وزير الدفاع السعودي يناقش مجالات التعاون العسكري\n"
    "حيث جرى خلال هذا اللقاء استعراض العلاقات الثنائية المشتركة بين المملكة "
    "العربية السعودية وغينيا، وبحث كافة مجالات التعاون العسكري والدفاعي، "
    "بجانب المناقشة في جميع مستجدات الوضع الإقليمي والدولي، وعدد من القضايا "
    "والموضوعات ذات الأهمية المشتركة بين البلدين.\n"
    "التعاون العسكري والدفاعي\n"
    "هو التعاون بين الدول في مجال القوات المسلحة والأمن الدفاعي، ويهدف هذا "
    "التعاون إلى تحقيق أهداف مشتركة مثل تعزيز الأمن والاستقرار الإقليمي، "
    "ومكافحة التهديدات الأمنية المشتركة، وتبادل المعلومات والخبرات، وتعزيز "
    "القدرات العسكرية، كما تتنوع مجالات التعاون يتضمن تبادل الخبرات "
    "والممارسات العسكرية بين الدول، وتنظيم تدريبات مشتركة لتعزيز التنسيق "
    "والتفاهم بين القوات المسلحة.\n"
    "كما يشمل التعاون في تطوير وإنتاج الأسلحة والتجهيزات العسكرية المشتركة، "
    "وتبادل التكنولوجيا العسكرية والتجارب في هذا المجال، ويتضمن تبادل "
    "المعلومات الاستخباراتية وتعاون المراقبة الجوية والبحرية والفضائية "
    "لتعزيز القدرة على التصدي للتهديدات الأمنية، ويتعاون البلدان في مجال "
    "الدفاع الجوي والصواريخ لحماية الأجواء وتعزيز الدفاع الاستراتيجي.\n"
    "بينما يشمل التعاون في مجال مكافحة الإرهاب، وتبادل المعلومات "
    "الاستخباراتية والتعاون في تطوير القدرات الخاصة بمكافحة الإرهاب، ويشمل "
    "أيضاً توفير الدعم اللوجستي للقوات المشتركة، مثل التموين والنقل "
    "والصيانة والدعم الطبي، حيث تتم المشاركة في التعاون العسكري والدفاعي "
    "على مستوى ثنائي بين البلدان أو على مستوى إقليمي من خلال التحالفات "
    'العسكرية والمنظمات الإقليمية، وتعتبر منظمة حلف شمال الأطلسي " الناتو " '
    '، ومنظمة الأمن والتعاون في أوروبا " الأوسيب " و أمثلة على التعاون '
    "العسكري والدفاعي على مستوى إقليمي.\n"
    "أما مجالات التعاون لها العديد منها الأمن السيبراني والذي يتضمن التعاون "
    "في مجال حماية الأنظمة السيبرانية والبنية التحتية الحيوية من الهجمات "
    "الإلكترونية وتبادل المعلومات والخبرات في مجال الأمن السيبراني، والدفاع "
    "البحري والذي يشمل التعاون في تأمين الممرات المائية الحيوية ومكافحة "
    "القرصنة البحرية والتهديدات البحرية الأخرى، بالإضافة إلى تنسيق العمليات "
    "البحرية وتبادل المعلومات البحرية، والدفاع الجوي والفضائي والذي يتمثل "
    "في التعاون في تأمين الأجواء والفضاء الجوي، وتبادل المعلومات "
    "والتكنولوجيا للكشف عن التهديدات الجوية والفضائية والتصدي لها."
)

# Title line of ../shared/seeds/003_9eda28cdddffed99.txt: guillemets and a tatweel-like لـ.
SEED_003_TITLE = (
    "الحرس الوطني يشارك في الاجتماع السنوي للمركز الإقليمي لـ «الناتو» ومبادرة إسطنبول للتعاون"
)

ENGLISH_CRLF = (
    "NATO Secretary General Mark Rutte\r\nmet the Saudi minister on Monday.\r\n"
    "He said “we will act together” – today – in Riyadh.\r\n"
)

RLM_ARTICLE = "قال \u200fوزير الدفاع\u200f إن التعاون \u200fالعسكري\u200f مستمر مع الناتو (NATO)."

LIGATURE_ARTICLE = "وقال إنه ﻻ يوجد أي خلاف، في ٢٤ أكتوبر."

NBSP_ARTICLE = "اليوم الثلاثاء 24\u00a0أكتوبر 2023 في الرياض"

# (article, quote, the span a reader would mark, or None, and the tier)
CASES = [
    pytest.param(
        SEED, "خالد بن سلمان بن عبد العزيز", "خالد بن سلمان بن عبد العزيز", "exact", id="exact-name"
    ),
    pytest.param(
        SEED,
        "  حيث التقى وزير الدفاع\n",
        "حيث التقى وزير الدفاع",
        "exact",
        id="exact-surrounding-whitespace",
    ),
    pytest.param(
        SEED,
        "وزير الدفاع السعودي الامير",
        "وزير الدفاع السعودي الأمير",
        "normalized",
        id="hamza-alef-dropped",
    ),
    pytest.param(
        SEED,
        "بحث كافة مجالات التعاون العسكري والدفاعي",
        "بحث كافة مجالات التعاون العسكري والدفاعي",
        "exact",
        id="exact-clause",
    ),
    pytest.param(
        SEED, "وزيرُ الدِّفاعِ الوطنيِّ", "وزير الدفاع الوطني", "normalized", id="diacritics-in-quote"
    ),
    pytest.param(
        SEED,
        "تعزيز القدرات العسكريـــة",
        "تعزيز القدرات العسكرية",
        "normalized",
        id="tatweel-in-quote",
    ),
    pytest.param(
        SEED,
        "٢٤ من شهر أكتوبر ٢٠٢٣",
        "24 من شهر أكتوبر 2023",
        "normalized",
        id="arabic-indic-digits",
    ),
    pytest.param(SEED, "في مدينه الرياض", "في مدينة الرياض", "normalized", id="ha-for-ta-marbuta"),
    pytest.param(
        SEED, "القدره علي التصدي", "القدرة على التصدي", "normalized", id="ya-for-alef-maqsura"
    ),
    pytest.param(SEED, "مكافحة الارهاب", "مكافحة الإرهاب", "normalized", id="alef-for-hamza-below"),
    pytest.param(
        SEED,
        "أكتوبر 2023. وزير الدفاع السعودي يناقش",
        "أكتوبر 2023.\nوزير الدفاع السعودي يناقش",
        "normalized",
        id="space-for-line-break",
    ),
    pytest.param(
        SEED, "الرياض, وزير الدولة", "الرياض، وزير الدولة", "normalized", id="latin-comma"
    ),
    pytest.param(
        SEED, "ويشمل ايضا توفير", "ويشمل أيضاً توفير", "normalized", id="tanween-inside-span"
    ),
    pytest.param(SEED, "ويشمل ايضا", "ويشمل أيضاً", "normalized", id="tanween-on-last-letter"),
    pytest.param(
        SEED,
        "خالد بن سلمان بن عبدالعزيز",
        "خالد بن سلمان بن عبد العزيز",
        "loose",
        id="abd-al-aziz-joined",
    ),
    pytest.param(
        SEED,
        'الأمير "خالد بن سلمان بن عبد العزيز"',
        'الأمير " خالد بن سلمان بن عبد العزيز',
        "loose",
        id="spaces-inside-quote-marks",
    ),
    pytest.param(SEED, "«الناتو»", "الناتو", "loose", id="guillemets-vs-spaced-straight"),
    pytest.param(SEED_003_TITLE, '"الناتو"', "«الناتو»", "normalized", id="straight-vs-guillemets"),
    pytest.param(
        SEED_003_TITLE,
        "للمركز الاقليمي لـ «الناتو»",
        "للمركز الإقليمي لـ «الناتو»",
        "normalized",
        id="seed-003-title",
    ),
    pytest.param(SEED, "التعاون العسكري", "التعاون العسكري", "exact", id="first-occurrence"),
    pytest.param(SEED, "بنعبدا", "بن عبد ا", "loose", id="loose-at-minimum-length"),
    pytest.param(SEED, "بنعبد", None, None, id="loose-too-short"),
    pytest.param(SEED, "وزير الخارجية الأمريكي", None, None, id="absent"),
    pytest.param(SEED, "وزير الدفاع الأمريكي", None, None, id="near-miss"),
    pytest.param(SEED, "", None, None, id="empty"),
    pytest.param(SEED, " \n\t ", None, None, id="whitespace-only"),
    pytest.param(SEED, '" ، "', None, None, id="punctuation-only"),
    pytest.param(SEED, "\u064b\u0640", None, None, id="marks-only"),
    pytest.param(
        ENGLISH_CRLF,
        "Rutte met the Saudi minister",
        "Rutte\r\nmet the Saudi minister",
        "normalized",
        id="crlf-kept-in-span",
    ),
    pytest.param(ENGLISH_CRLF, "on Monday.", "on Monday.", "exact", id="english-exact"),
    pytest.param(
        ENGLISH_CRLF,
        "nato secretary general",
        "NATO Secretary General",
        "normalized",
        id="english-case",
    ),
    pytest.param(
        ENGLISH_CRLF,
        '"we will act together" - today',
        "“we will act together” – today",
        "normalized",
        id="curly-quotes-and-dash",
    ),
    pytest.param(
        ENGLISH_CRLF, "Mark Rutte met", "Mark Rutte\r\nmet", "normalized", id="crlf-english"
    ),
    pytest.param(RLM_ARTICLE, "وزير الدفاع", "وزير الدفاع", "exact", id="rlm-around-exact"),
    pytest.param(
        RLM_ARTICLE, "وزير الدفاع إن", "وزير الدفاع\u200f إن", "normalized", id="rlm-inside-span"
    ),
    pytest.param(
        RLM_ARTICLE,
        "التعاون العسكري",
        "التعاون \u200fالعسكري",
        "normalized",
        id="rlm-inside-not-after",
    ),
    pytest.param(SEED, "\u200fحيث التقى\u200f", "حيث التقى", "normalized", id="rlm-in-quote-only"),
    pytest.param(RLM_ARTICLE, "(nato)", "(NATO)", "normalized", id="latin-in-arabic"),
    pytest.param(
        LIGATURE_ARTICLE, "إنه لا يوجد", "إنه ﻻ يوجد", "normalized", id="lam-alef-ligature"
    ),
    pytest.param(
        LIGATURE_ARTICLE,
        "لا يوجد أي خلاف, في 24",
        "ﻻ يوجد أي خلاف، في ٢٤",
        "normalized",
        id="ligature-at-start-and-digits",
    ),
    pytest.param(NBSP_ARTICLE, "24 أكتوبر 2023", "24\u00a0أكتوبر 2023", "normalized", id="nbsp"),
]


@pytest.mark.parametrize(("article", "quote", "expected", "match"), CASES)
def test_locate(article: str, quote: str, expected: str | None, match: MatchKind | None) -> None:
    span = locate(article, quote)
    if expected is None:
        assert span is None
        return
    assert span is not None
    assert article[span.start : span.end] == expected
    assert span.match == match
    # First occurrence: nothing the same tier would accept starts earlier.
    assert article.find(expected) == span.start


def test_first_occurrence_is_the_earliest_of_several() -> None:
    first = SEED.index("التعاون العسكري والدفاعي")
    assert SEED.count("التعاون العسكري والدفاعي") > 1
    assert locate(SEED, "التعاون العسكري والدفاعي") == Span(first, first + 24, "exact")
    span = locate(SEED, "التعاون العسكري والدفاعى")
    assert span == Span(first, first + 24, "normalized")


def test_loose_minimum_is_named() -> None:
    assert MIN_LOOSE_CHARS == 6


def test_index_answers_many_quotes() -> None:
    index = ArticleIndex(SEED)
    quotes = ["وزير الدفاع", "ابو بكر صديق كمارا", "حلف شمال الاطلسي"]
    texts = [SEED[s.start : s.end] for s in map(index.locate, quotes) if s is not None]
    assert texts == ["وزير الدفاع", "أبو بكر صديق كمارا", "حلف شمال الأطلسي"]


def _random_slices(text: str, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    slices: list[str] = []
    while len(slices) < count:
        start = rng.randrange(len(text))
        piece = text[start : start + rng.randrange(1, 80)].strip()
        if any(ch.isalnum() for ch in piece):
            slices.append(piece)
    return slices


def test_random_slices_are_found_exactly() -> None:
    index = ArticleIndex(SEED)
    for piece in _random_slices(SEED, 500, seed=1):
        span = index.locate(piece)
        assert span is not None, piece
        assert span.match == "exact"
        assert SEED[span.start : span.end] == piece


# How a model garbles a quote: each of these must leave it findable.
_GARBLE = str.maketrans(
    {"أ": "ا", "إ": "ا", "ة": "ه", "ى": "ي", "\u064b": None, "\n": " ", "،": ",", "2": "٢"}
)


def test_random_garbled_slices_are_found() -> None:
    index = ArticleIndex(SEED)
    for piece in _random_slices(SEED, 500, seed=2):
        span = index.locate(piece.translate(_GARBLE))
        assert span is not None, piece
        assert span.match in ("exact", "normalized")
        assert normalize(SEED[span.start : span.end]) == normalize(piece).strip(" ")
