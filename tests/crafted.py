"""Crafted answers for seed article 000 (a Saudi-Guinean defence ministers' meeting).

``good_meeting()`` passes every check; tests break one thing at a time from it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

ARTICLE_000 = (
    Path(__file__).resolve().parent.parent / "fixtures" / "articles" / "000_85a1f342656380a4.txt"
).read_text(encoding="utf-8")
BILATERAL = "استعراض العلاقات الثنائية المشتركة بين المملكة العربية السعودية وغينيا"
NOT_IN_ARTICLE = "واتفق الجانبان على إنشاء قاعدة بحرية مشتركة"

_GOOD: dict[str, Any] = {
    "summary": {
        "headline": "Saudi and Guinean defence ministers meet in Riyadh",
        "summary": (
            "Saudi Defence Minister Prince Khalid bin Salman met Guinea's Minister of State for "
            "National Defence Abubakar Sidiki Camara in Riyadh. They reviewed bilateral relations "
            "and discussed military and defence cooperation and regional developments."
        ),
        "meeting_type": "bilateral",
        "date": "2023-10-24",
        "date_text": "اليوم الثلاثاء الموافق 24 من شهر أكتوبر 2023",
        "location": {"city": "Riyadh", "country": "Saudi Arabia", "venue": None},
        "participants": [
            {
                "name": "Khalid bin Salman bin Abdulaziz",
                "name_source": "خالد بن سلمان بن عبد العزيز",
                "title": "Minister of Defence",
                "organization": "Ministry of Defence",
                "country": "Saudi Arabia",
                "role": "host",
                "evidence": {"quote": "التقى وزير الدفاع السعودي الأمير"},
            },
            {
                "name": "Abubakar Sidiki Camara",
                "name_source": "أبو بكر صديق كمارا",
                "title": "Minister of State for National Defence",
                "organization": None,
                "country": "Guinea",
                "role": "guest",
                "evidence": {"quote": "وزير الدولة وزير الدفاع الوطني في غينيا"},
            },
        ],
        "parties": ["Saudi Arabia", "Guinea"],
        "topics": [
            {
                "title": "Bilateral relations",
                "category": "political_relations",
                "details": None,
                "evidence": {"quote": BILATERAL},
            }
        ],
        "outcomes": [],
        "next_steps": [],
        "background": ["The article explains military cooperation in general."],
        "other_events": [],
    },
    "no_event": None,
}


def good_meeting() -> dict[str, Any]:
    return copy.deepcopy(_GOOD)


def good_meeting_ar() -> dict[str, Any]:
    """The Arabic answer for lang="both": the extraction runs in the article's language."""
    answer = good_meeting()
    summary = answer["summary"]
    summary["headline"] = "وزيرا الدفاع السعودي والغيني يلتقيان في الرياض"
    summary["summary"] = "التقى وزير الدفاع السعودي نظيره الغيني في الرياض وبحثا التعاون العسكري."
    summary["location"] = {"city": "الرياض", "country": "السعودية", "venue": None}
    for person, name in zip(
        summary["participants"], ["خالد بن سلمان", "أبو بكر صديق كمارا"], strict=True
    ):
        person.update(name=name, title="وزير الدفاع", organization=None, country="السعودية")
    summary["parties"] = ["السعودية", "غينيا"]
    summary["topics"][0].update(title="العلاقات الثنائية")
    summary["background"] = ["يشرح المقال التعاون العسكري بوجه عام."]
    return answer
