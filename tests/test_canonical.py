"""Canonical ids: one code for a country however a summary names it, in either language;
an organisation's id from the project's table; nothing guessed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx2
import pytest

from summarizer import Summarizer
from summarizer.canonical import (
    annotate,
    country_code,
    organisation_id,
    party_id,
    person_key,
    same_person,
)
from summarizer.canonical_tables import ORGANISATIONS
from summarizer.config import Settings
from summarizer.demo import DEMO_MODEL
from summarizer.replay import ReplayTransport
from summarizer.schemas import MeetingSummary

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # names, short forms and adjectives, in both languages
        ("المملكة العربية السعودية", "SA"), ("السعودية", "SA"), ("السعودي", "SA"),
        ("السعوديّة", "SA"), ("Saudi Arabia", "SA"), ("Saudi", "SA"), ("KSA", "SA"),
        ("the Kingdom of Saudi Arabia", "SA"),
        ("Türkiye", "TR"), ("Turkiye", "TR"), ("Turkey", "TR"), ("تركيا", "TR"), ("التركية", "TR"),
        ("الإيطالي", "IT"), ("إيطاليا", "IT"), ("Italian", "IT"),
        ("مصر", "EG"), ("المصري", "EG"), ("جمهورية مصر العربية", "EG"),
        ("الإمارات", "AE"), ("الإماراتي", "AE"), ("UAE", "AE"),
        ("الأمريكي", "US"), ("الولايات المتحدة", "US"), ("U.S.", "US"),
        ("سلطنة عمان", "OM"), ("العماني", "OM"), ("Omani", "OM"),
        ("غينيا", "GN"), ("الغيني", "GN"), ("Guinea", "GN"), ("سيراليون", "SL"),
        ("النيجر", "NE"), ("النيجيري", "NG"), ("جنوب السودان", "SS"), ("السوداني", "SD"),
        ("الأردني", "JO"), ("Hashemite Kingdom of Jordan", "JO"),
    ],
)  # fmt: skip
def test_a_country_reads_as_its_iso_code(name: str, code: str) -> None:
    assert country_code(name) == code


@pytest.mark.parametrize(
    "name",
    # unknown, empty, a place that is no country, and "the Kingdom" alone (several say it)
    ["Mars", "", "   ", None, "Riyadh", "المملكة", "Ministry of Defence", "it"],
)
def test_what_is_not_a_known_country_has_no_code(name: str | None) -> None:
    assert country_code(name) is None


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("NATO", "org:nato"), ("الناتو", "org:nato"), ("حلف شمال الأطلسي", "org:nato"),
        ("Gulf Cooperation Council", "org:gcc"), ("مجلس التعاون الخليجي", "org:gcc"),
        ("جامعة الدول العربية", "org:arab-league"), ("the African Union", "org:au"),
        ("Istanbul Cooperation Initiative", "org:ici"), ("الأمم المتحدة", "org:un"),
    ],
)  # fmt: skip
def test_an_organisation_reads_as_its_id(name: str, ident: str) -> None:
    assert organisation_id(name) == ident == party_id(name)


def test_the_organisation_table_is_well_formed() -> None:
    for ident, entry in ORGANISATIONS.items():
        assert ident.startswith("org:") and entry["names"]
        assert entry["wikidata"] is None or entry["wikidata"].startswith("Q")


def test_annotate_fills_every_id_in_place() -> None:
    summary = MeetingSummary.model_validate(
        {
            "headline": "h", "summary": "s", "meeting_type": "bilateral",
            "date": None, "date_text": None,
            "location": {"city": "الرياض", "country": "السعودية"},
            "participants": [
                {"name": "A", "name_source": "A", "country": "Guinea", "role": "guest",
                 "evidence": {"segment": 1}},
                {"name": None, "name_source": None, "country": "Atlantis", "role": "host",
                 "evidence": {"segment": 1}},
            ],
            "parties": ["Saudi Arabia", "الناتو", "Atlantis"],
        }
    )  # fmt: skip
    annotate(summary)
    assert summary.location.country_code == "SA"
    assert [p.country_code for p in summary.participants] == ["GN", None]
    assert summary.party_ids == ["SA", "org:nato", None]


def test_a_result_carries_the_ids_in_both_languages() -> None:
    seed = "000_85a1f342656380a4"
    article = (FIXTURES / "articles" / f"{seed}.txt").read_text(encoding="utf-8")
    cassette = FIXTURES / "cassettes" / "demo" / f"{seed}.meeting.both.yaml"
    client = httpx2.AsyncClient(transport=ReplayTransport([cassette]))
    settings = Settings(model=DEMO_MODEL, api_key="replay", use_cache=False)
    result = Summarizer(settings=settings, http_client=client).summarize(article, "meeting", "both")
    for lang in ("en", "ar"):
        summary = result.summary_dict()[lang]  # type: ignore[index]
        assert summary["party_ids"] == ["SA", "GN"], lang
        assert {p["country_code"] for p in summary["participants"]} == {"SA", "GN"}
        assert summary["location"]["country_code"] == "SA"
    assert json.loads(json.dumps(result.to_dict()))  # the ids survive serialisation


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("خالد بن سلمان", "SA"), ("Khalid bin Salman", "SA")),
        (("فهد بن سعد المطيري", "SA"), ("Fahad bin Saad Al-Mutairi", "SA")),
        (("جاسم بن فهد المهندي", "QA"), ("Al Mohannadi", "QA")),
        (("عبد الرحمن الخليفي", None), ("Abdulrahman Al Khulaifi", "QA")),
        (("ماركو فيراري", "IT"), ("Marco Ferrari", "IT")),
    ],
)
def test_one_person_across_scripts_and_spellings(
    one: tuple[str, str | None], other: tuple[str, str | None]
) -> None:
    a, b = person_key(*one), person_key(*other)
    assert a is not None and b is not None and same_person(a, b), (a, b)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("Khalid bin Salman", "SA"), ("Khalid bin Fahd", "SA")),  # one shared word of two
        (("Marco Ferrari", "IT"), ("Marco Ferrari", "SM")),  # another country
        (("Kemal Aydin", "TR"), ("Hulusi Akar", "TR")),
    ],
)
def test_different_people_stay_apart(
    one: tuple[str, str | None], other: tuple[str, str | None]
) -> None:
    a, b = person_key(*one), person_key(*other)
    assert a is not None and b is not None and not same_person(a, b), (a, b)


def test_no_name_gives_no_person_key() -> None:
    assert person_key(None, "SA") is None and person_key("  ", "SA") is None
