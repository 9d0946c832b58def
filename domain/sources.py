"""Sources and citations: every event says who reported it, in their exact words."""

from __future__ import annotations

from chancery.domain.dates import UncertainDate
from chancery.domain.parties import PartyRef, Slug
from chancery.domain.text import Name, Text
from pydantic import BaseModel, ConfigDict, Field, field_validator


class Source(BaseModel):
    """One published report. `published` is an interval because not every article is dated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    outlet: Name | None = Field(
        default=None, description="The outlet, where the text names it (Sputnik, TASS, RT, DPA...)"
    )
    file: Name | None = Field(default=None, description="The article's file name, where it has one")
    headline: Text | None = None
    published: UncertainDate
    url: Text | None = None
    note: Text | None = Field(default=None, description="How the outlet or date was established")


class Citation(BaseModel):
    """A source plus the sentence(s) supporting a claim, quoted verbatim from the source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Slug
    quote: Text = Field(min_length=1)

    @field_validator("quote")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        """Always held (rows too); an import file is held to the stricter text rules."""
        if not value.strip():
            raise ValueError("a quote must contain the words of the source, not only spaces")
        return value


class Claim(BaseModel):
    """What one party or source says about an event: a reason, or one side of a dispute."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    says: Text = Field(min_length=1, description="The claim, in the analyst's words")
    party: PartyRef | None = Field(
        default=None, description="Whose claim it is, where one is named"
    )
    date: UncertainDate | None = Field(
        default=None, description="The date this claim gives the event, for disputes about dates"
    )
    citations: list[Citation] = Field(min_length=1)


class Dispute(BaseModel):
    """Sources that disagree about one aspect of an event: every side is kept (principle 6)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    about: Text = Field(min_length=1, description="What is disputed: 'date', 'who was expelled'...")
    claims: list[Claim] = Field(min_length=2)
