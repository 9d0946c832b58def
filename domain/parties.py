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
    SerializationInfo,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_serializer,
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


Aliases = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=200)]],
    Field(
        default_factory=list,
        description=(
            "Other names the reports use for it ('Russian delegation', 'NRC'), matched "
            "case-insensitively by `chancery extract`; optional"
        ),
    ),
]


class _Declaration(BaseModel):
    """Optional lists left empty are not serialised, so a declaration written before they
    existed keeps its content digest (the ledger compares declarations by digest)."""

    @model_serializer(mode="wrap")
    def _drop_empty_optional_lists(
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ) -> dict[str, object]:
        data: dict[str, object] = handler(self)
        for key in ("aliases", "triggers"):
            if key in data and not data[key]:
                del data[key]
        return data


class Party(_Declaration):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Slug
    name: Name = Field(min_length=1)
    kind: PartyKind
    aliases: Aliases


class Channel(_Declaration):
    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Slug
    name: Name = Field(min_length=1)
    kind: ChannelKind
    parties: list[Slug] = Field(min_length=2, description="The parties the channel connects")
    host: Slug | None = Field(
        default=None, description="The party on whose ground the channel sits, where it has one"
    )
    description: Text | None = None
    aliases: Aliases
    triggers: dict[str, list[Annotated[str, StringConstraints(min_length=1, max_length=200)]]] = (
        Field(
            default_factory=dict,
            description=(
                "Extra trigger words by action type (e.g. {mission_suspended: [froze]}), added "
                "to the type's own for this channel by `chancery extract`; optional"
            ),
        )
    )

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
