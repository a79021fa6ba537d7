"""The names ``canonical`` reads that ``pycountry`` does not ship: ours to keep.

``COUNTRY_ALIASES``: English short forms and adjectives, Arabic short forms and the few Arabic
adjectives the stem rule in ``canonical`` does not reach (``الأمريكي`` is not a form of
``الولايات المتحدة``). ``ORGANISATIONS``: the bodies this domain meets, with a Wikidata id where
we are sure of it (null otherwise: a wrong id is worse than none).
"""

from __future__ import annotations

from typing import Any

COUNTRY_ALIASES: dict[str, list[str]] = {
    "AE": ["UAE", "U.A.E.", "Emirates", "Emirati", "الإمارات", "دولة الإمارات"],
    "BH": ["Bahraini"],
    "CN": ["China", "Chinese"],
    "DZ": ["Algerian"],
    "EG": ["Egyptian"],
    "FR": ["French"],
    "DE": ["German"],
    "GB": [
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "British",
        "بريطانيا",
        "البريطاني",
        "البريطانية",
        "المملكة المتحدة",
    ],
    "GN": ["Guinean"],
    "GR": ["Greek"],
    "IN": ["Indian"],
    "ID": ["Indonesian"],
    "IQ": ["Iraqi"],
    "IR": ["Iran", "Iranian", "إيران"],
    "IT": ["Italian"],
    "JO": ["Jordanian", "Hashemite Kingdom of Jordan"],
    "JP": ["Japanese"],
    "KP": ["North Korea", "North Korean", "كوريا الشمالية"],
    "KR": ["South Korea", "South Korean", "كوريا الجنوبية"],
    "KW": ["Kuwaiti"],
    "LB": ["Lebanese"],
    "LY": ["Libyan"],
    "MA": ["Moroccan"],
    "MY": ["Malaysian"],
    "OM": ["Omani", "Sultanate of Oman"],
    "PK": ["Pakistani"],
    "PS": ["Palestine", "Palestinian", "فلسطين"],
    "QA": ["Qatari"],
    "RU": ["Russia", "Russian", "روسيا"],
    # Not "المملكة" (the Kingdom) alone: Jordanian, Bahraini and Moroccan outlets say it too.
    "SA": [
        "KSA",
        "Saudi",
        "Saudi Arabian",
        "Kingdom of Saudi Arabia",
        "السعودية",
        "المملكة العربية السعودية",
    ],
    "SD": ["Sudanese"],
    "SL": ["Sierra Leonean"],
    "SY": ["Syria", "Syrian", "سوريا", "سورية"],
    "TN": ["Tunisian"],
    "TR": ["Turkey", "Turkiye", "Turkish", "Türk", "تركيا", "الجمهورية التركية"],
    "UA": ["Ukrainian"],
    "US": [
        "US",
        "U.S.",
        "USA",
        "U.S.A.",
        "America",
        "American",
        "أمريكا",
        "أميركا",
        "الولايات المتحدة",
        "الولايات المتحدة الأمريكية",
        "الولايات المتحدة الأميركية",
        "الأمريكي",
        "الأمريكية",
        "الأميركي",
        "الأميركية",
    ],
    "YE": ["Yemeni"],
}

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "org:nato": {
        "wikidata": "Q7184",
        "names": [
            "NATO",
            "North Atlantic Treaty Organization",
            "North Atlantic Treaty Organisation",
            "الناتو",
            "حلف الناتو",
            "حلف شمال الأطلسي",
            "منظمة حلف شمال الأطلسي",
        ],
    },
    "org:gcc": {
        "wikidata": None,
        "names": [
            "GCC",
            "Gulf Cooperation Council",
            "Cooperation Council for the Arab States of the Gulf",
            "مجلس التعاون الخليجي",
            "مجلس التعاون لدول الخليج العربية",
        ],
    },
    "org:arab-league": {
        "wikidata": "Q7172",
        "names": ["Arab League", "League of Arab States", "جامعة الدول العربية", "الجامعة العربية"],
    },
    "org:au": {
        "wikidata": "Q7159",
        "names": ["African Union", "AU", "الاتحاد الأفريقي", "الاتحاد الإفريقي"],
    },
    "org:eu": {
        "wikidata": "Q458",
        "names": ["European Union", "EU", "الاتحاد الأوروبي"],
    },
    "org:un": {
        "wikidata": "Q1065",
        "names": ["United Nations", "UN", "U.N.", "الأمم المتحدة", "هيئة الأمم المتحدة"],
    },
    "org:ici": {
        "wikidata": None,
        "names": [
            "Istanbul Cooperation Initiative",
            "ICI",
            "مبادرة إسطنبول للتعاون",
            "مبادرة اسطنبول للتعاون",
        ],
    },
    "org:nato-md": {
        "wikidata": None,
        "names": ["Mediterranean Dialogue", "NATO Mediterranean Dialogue", "الحوار المتوسطي"],
    },
    "org:oic": {
        "wikidata": None,
        "names": [
            "Organisation of Islamic Cooperation",
            "Organization of Islamic Cooperation",
            "OIC",
            "منظمة التعاون الإسلامي",
        ],
    },
    "org:imctc": {
        "wikidata": None,
        "names": [
            "Islamic Military Counter Terrorism Coalition",
            "IMCTC",
            "التحالف الإسلامي العسكري لمحاربة الإرهاب",
        ],
    },
    "org:asean": {
        "wikidata": "Q7768",
        "names": ["ASEAN", "Association of Southeast Asian Nations"],
    },
}
