"""Parties and channels are data, declared in the import format, so that an analyst can add a
US–Russia channel without touching code. What differs between channels lives in their kind."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from chancery.domain.text import Name, Text, is_import
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120),
    Field(description="Stable lowercase identifier: letters, digits and hyphens"),
]


class PartyKind(StrEnum):
    STATE = "state"
    ORGANISATION = "organisation"


class ChannelKind(StrEnum):
    """What a channel is decides which actions it can receive and which rules it obeys."""

    MISSION = "mission"
    COUNCIL = "council"
    OFFICE = "office"
    COOPERATION = "cooperation"
    MILITARY_CONTACTS = "military-contacts"
    CONTACT_POINT = "contact-point"
    DIALOGUE = "dialogue"


class Party(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Slug
    name: Name = Field(min_length=1)
    kind: PartyKind


class Channel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Slug
    name: Name = Field(min_length=1)
    kind: ChannelKind
    parties: list[Slug] = Field(min_length=2, description="The parties the channel connects")
    host: Slug | None = Field(
        default=None, description="The party on whose ground the channel sits, where it has one"
    )
    description: Text | None = None

    @field_validator("parties")
    @classmethod
    def _distinct_parties(cls, parties: list[str], info: ValidationInfo) -> list[str]:
        if not is_import(info):
            return parties
        repeated = sorted({party for party in parties if parties.count(party) > 1})
        if repeated:
            raise ValueError(
                f"'{', '.join(repeated)}' is listed twice: a channel connects distinct parties"
            )
        return parties
