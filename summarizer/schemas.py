"""The two public summary schemas, field by field as SPEC.md names them.

Descriptions are written for the model: they are what it reads in the tool schema.
Fields marked ``LIBRARY_FILLED`` are set by the library after validation (offsets, how a
quote matched, the languages) and are stripped from the schema the model sees, so that
nothing the library guarantees is ever taken from the model.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["ar", "en"]
CooperationArea = Literal[
    "political_relations",
    "military_cooperation",
    "defense_industry",
    "training_exercises",
    "intelligence_sharing",
    "counter_terrorism",
    "cybersecurity",
    "maritime_security",
    "air_space_defense",
    "logistics_support",
    "crisis_management",
    "nonproliferation",
    "regional_security",
    "economic",
    "other",
]
MatchKind = Literal["exact", "normalized", "loose", "segment"]

# JSON Schema marker of a field the library fills; `lean.lean_schema` drops them.
LIBRARY_FILLED: dict[str, Any] = {"x-filled-by": "library"}
# A field a model's answer may hold but is not asked for: `lean.lean_schema` drops it too.
# Evidence's quote: copying a span costs a small model many tokens and often fails; citing a
# segment costs a few, and the library takes the quote from the article.
NOT_ASKED: dict[str, Any] = {"x-filled-by": "library-unless-given"}


COUNTRY_CODE = "ISO 3166-1 alpha-2 code of the country; null when unknown. Set by the library."
PARTY_IDS = (
    "One id per party, in order: an ISO 3166-1 alpha-2 code for a country, the project's"
    " organisation id (org:nato) for an organisation, null when unknown. Set by the library."
)


class _Model(BaseModel):
    # Inputs echoed in errors would paste whole answers into re-asks; the reasons suffice.
    model_config = ConfigDict(hide_input_in_errors=True, extra="ignore")


class Evidence(_Model):
    """Where the article states one item: a segment number, a verbatim span, or both."""

    segment: int | None = Field(
        default=None,
        description=(
            "The number of the article segment that states this item, as the article was "
            "shown numbered; the library takes the span from the article."
        ),
    )
    quote: str = Field(
        default="",
        description=(
            "Words copied exactly from the article (from the cited segment when one is "
            "cited), in the article's own language; may be left empty when a segment is "
            "cited, and is then the segment's text."
        ),
        json_schema_extra=NOT_ASKED,
    )
    start: int | None = Field(
        default=None,
        description="Offset of the quote in the article (code points); set by the library.",
        json_schema_extra=LIBRARY_FILLED,
    )
    end: int | None = Field(
        default=None,
        description="End offset (exclusive) of the quote in the article; set by the library.",
        json_schema_extra=LIBRARY_FILLED,
    )
    match: MatchKind | None = Field(
        default=None,
        description=(
            "How the quote was found in the article (segment: the cited segment's text); "
            "set by the library."
        ),
        json_schema_extra=LIBRARY_FILLED,
    )


class Location(_Model):
    city: str | None = Field(default=None, description="City where the event took place.")
    country: str | None = Field(default=None, description="Country where it took place.")
    venue: str | None = Field(default=None, description="Building or venue, if named.")
    country_code: str | None = Field(
        default=None,
        description=COUNTRY_CODE,
        json_schema_extra=LIBRARY_FILLED,
    )


class Participant(_Model):
    name: str | None = Field(
        description=(
            "The person's name in the output language (Latin transliteration for English); "
            "null when the article gives only the office."
        )
    )
    name_source: str | None = Field(
        description=(
            "The name exactly as the article writes it, in the article's language; "
            "null when the article gives only the office."
        )
    )
    title: str | None = Field(default=None, description="Office or rank, in the output language.")
    organization: str | None = Field(
        default=None, description="Ministry, force or body the person represents."
    )
    country: str | None = Field(default=None, description="Country the person represents.")
    country_code: str | None = Field(
        default=None,
        description=COUNTRY_CODE,
        json_schema_extra=LIBRARY_FILLED,
    )
    person_key: str | None = Field(
        default=None,
        description=(
            "The person across reports and scripts: country code (xx when unknown) and the"
            " name's consonant skeleton, e.g. SA:kld-slmn. Set by the library."
        ),
        json_schema_extra=LIBRARY_FILLED,
    )
    role: Literal["host", "guest", "delegation_head", "delegation_member", "other"] = Field(
        description="The person's part in this event."
    )
    evidence: Evidence


class Topic(_Model):
    title: str = Field(description="What was discussed, in a few words.")
    category: CooperationArea = Field(description="The cooperation area this topic belongs to.")
    details: str | None = Field(default=None, description="One sentence of detail, if any.")
    evidence: Evidence


class Outcome(_Model):
    description: str = Field(description="What was agreed, signed, decided or announced.")
    kind: Literal["agreement", "mou", "joint_statement", "decision", "announcement", "other"]
    evidence: Evidence


class OtherEvent(_Model):
    description: str = Field(
        description="One line naming another meeting, call or visit the article reports."
    )
    evidence: Evidence


MeetingType = Literal["bilateral", "multilateral", "visit", "call", "conference", "other"]


class MeetingSummary(_Model):
    """One meeting, visit or call: the article's main event."""

    headline: str = Field(description="One line naming who met whom, where, about what.")
    summary: str = Field(description="Two to four sentences of what happened at this event.")
    meeting_type: MeetingType = Field(
        description=(
            "First that fits, in this order: call (by phone or video); conference (a "
            "scheduled gathering of many delegations, such as an annual meeting or summit); "
            "multilateral (three or more sides meet); bilateral (two sides meet, wherever "
            "held, a visiting side included); visit (a visit with no talks reported, such as "
            "a tour of a base); other."
        )
    )
    date: dt.date | None = Field(
        description=(
            "The day of the event as YYYY-MM-DD, only when the article gives it (or it follows "
            "from the publication date for 'today', 'yesterday', a weekday); null otherwise. "
            "Never guess a day or a year."
        )
    )
    date_text: str | None = Field(
        description="The date exactly as the article writes it; null when no date is given."
    )
    location: Location = Field(default_factory=Location)
    participants: list[Participant] = Field(
        default_factory=list,
        description=(
            "People who took part in this event; not people the article mentions only as "
            "background or at another event."
        ),
    )
    parties: list[str] = Field(
        default_factory=list,
        description="Countries and organisations represented at this event.",
    )
    party_ids: list[str | None] = Field(
        default_factory=list,
        description=PARTY_IDS,
        json_schema_extra=LIBRARY_FILLED,
    )
    topics: list[Topic] = Field(
        default_factory=list,
        description=(
            "What the participants discussed at this event. Not the article's general "
            "explanations or history: those go to background."
        ),
    )
    outcomes: list[Outcome] = Field(
        default_factory=list,
        description="Agreements, decisions or statements reported from this event; empty if none.",
    )
    next_steps: list[str] = Field(default_factory=list, description="Announced follow-ups.")
    background: list[str] = Field(
        default_factory=list,
        description=(
            "What the article explains that is not part of the event: definitions, history, "
            "general context."
        ),
    )
    other_events: list[OtherEvent] = Field(
        default_factory=list,
        description=(
            "Other meetings, calls or visits the article reports besides the main one. Their "
            "people, topics and outcomes stay out of the fields above."
        ),
    )
    output_language: Language = Field(
        default="en", description="Language of the text fields.", json_schema_extra=LIBRARY_FILLED
    )
    source_language: Language = Field(
        default="ar", description="Language of the article.", json_schema_extra=LIBRARY_FILLED
    )


class CooperationParty(_Model):
    name: str = Field(description="Country, organisation, agency or force, in the output language.")
    kind: Literal["country", "organization", "agency", "military_branch"]
    role: str | None = Field(
        default=None, description="Its part in the cooperation (e.g. partner, host, lead)."
    )
    evidence: Evidence


class Area(_Model):
    category: CooperationArea
    description: str = Field(description="What the cooperation covers in this area.")
    evidence: Evidence


class CooperationSummary(_Model):
    """A cooperation relationship or framework the article reports."""

    headline: str = Field(description="One line naming the parties and the cooperation.")
    summary: str = Field(description="Two to four sentences on the cooperation.")
    framework: str | None = Field(
        description="The named initiative, agreement or alliance, if any; null otherwise."
    )
    parties: list[CooperationParty] = Field(
        default_factory=list, description="Those who cooperate."
    )
    party_ids: list[str | None] = Field(
        default_factory=list,
        description=PARTY_IDS,
        json_schema_extra=LIBRARY_FILLED,
    )
    areas: list[Area] = Field(
        default_factory=list,
        description=(
            "Areas of this relationship's cooperation. Not areas the article lists only as "
            "general examples or definitions: those go to background."
        ),
    )
    mechanisms: list[str] = Field(
        default_factory=list, description="How the cooperation is carried out."
    )
    challenges: list[str] = Field(default_factory=list, description="Obstacles the article names.")
    outlook: list[str] = Field(default_factory=list, description="Expected next steps.")
    background: list[str] = Field(
        default_factory=list, description="Definitions, history and general context."
    )
    output_language: Language = Field(
        default="en", description="Language of the text fields.", json_schema_extra=LIBRARY_FILLED
    )
    source_language: Language = Field(
        default="ar", description="Language of the article.", json_schema_extra=LIBRARY_FILLED
    )


Summary = MeetingSummary | CooperationSummary
SchemaName = Literal["meeting", "cooperation"]
SCHEMAS: dict[str, type[MeetingSummary] | type[CooperationSummary]] = {
    "meeting": MeetingSummary,
    "cooperation": CooperationSummary,
}


def json_schema(name: str) -> dict[str, Any]:
    """The public JSON Schema of a summary, as exported to ``schemas/<name>.json``."""
    return SCHEMAS[name].model_json_schema()
