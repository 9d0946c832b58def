"""Parties and channels are data, declared in the import format, so that an analyst can add a
US–Russia channel without touching code. What differs between channels lives in their kind.

A party may be declared by its code alone (`- code: GB`: ISO 3166-1 alpha-2 for a state, a
bundled code for an organisation); its slug, name and kind then follow from the code, and
wherever a party is named (a channel's parties, a post's sending and receiving state, an
event's actor) its code may stand for its slug. A code and its slug are one-to-one, so the
identity of a party is its slug whichever way it was written, and a declaration made before
codes existed (`slug: russia`) names the same party as `RU`.

A post (an embassy, a consulate, a permanent mission, ...) is a channel of a *sending* party in
a *receiving* party, optionally in a city (docs/design.md, "Posts"); its parties, host, slug and
name follow from those when not written out.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Any, Self

from chancery.domain import countries
from chancery.domain.errors import did_you_mean, echo
from chancery.domain.text import Name, Text, is_import, text_problem
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_serializer,
    model_validator,
)

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120),
    Field(description="Stable lowercase identifier: letters, digits and hyphens"),
]

_SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_CODE_PATTERN = r"^[A-Z][A-Za-z]{1,15}$"


def code_slug(value: Any) -> Any:
    """The slug a party reference stands for: a code (any capital letter: `GB`, `NATO`, `CoE`)
    is replaced by its slug, a slug is kept. An unknown code is refused, with the nearest."""
    if isinstance(value, str) and value != value.lower():
        entry = countries.by_code(value)
        if entry is None:
            raise ValueError(countries.unknown_code(value))
        return entry.slug
    return value


PartyRef = Annotated[
    str,
    BeforeValidator(code_slug),
    StringConstraints(pattern=_SLUG_PATTERN, max_length=120),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"{_SLUG_PATTERN[:-1]}|{_CODE_PATTERN[1:]}",
            "description": "A party: its slug, or its code (GB, RU, NATO); stored as the slug",
        }
    ),
]
"""A reference to a party, by slug or by code; always held as the slug."""


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
    EMBASSY = "embassy"
    HIGH_COMMISSION = "high-commission"
    CONSULATE_GENERAL = "consulate-general"
    CONSULATE = "consulate"
    PERMANENT_MISSION = "permanent-mission"
    LIAISON_OFFICE = "liaison-office"
    INFORMATION_OFFICE = "information-office"
    CULTURAL_INSTITUTE = "cultural-institute"
    RELATIONS = "relations"
    """The pair's diplomatic relations as a whole: downgraded, severed, restored."""


_K = ChannelKind
POST_KINDS = frozenset(
    {
        _K.MISSION,
        _K.OFFICE,
        _K.EMBASSY,
        _K.HIGH_COMMISSION,
        _K.CONSULATE_GENERAL,
        _K.CONSULATE,
        _K.PERMANENT_MISSION,
        _K.LIAISON_OFFICE,
        _K.INFORMATION_OFFICE,
        _K.CULTURAL_INSTITUTE,
    }
)
"""Posts of a sending party in a receiving party. `mission` (= `permanent-mission`) and
`office` (= `information-office`) are the kinds of release 0.1, whose declarations may lack
`sending` and `receiving`; the others require them."""
STRUCTURED_POST_KINDS = POST_KINDS - {_K.MISSION, _K.OFFICE}
ONE_PER_PAIR = frozenset({_K.MISSION, _K.EMBASSY, _K.HIGH_COMMISSION, _K.PERMANENT_MISSION})
"""A sending state has one of these in a receiving state (or at an organisation): its slug
needs no city. Consulates, offices and institutes may be several, one per city."""
HEAD_OF_MISSION_KINDS = frozenset(
    {_K.MISSION, _K.EMBASSY, _K.HIGH_COMMISSION, _K.PERMANENT_MISSION}
)
"""The posts headed by a head of mission (an ambassador, high commissioner, permanent
representative), who may be recalled, returned or summoned."""
KIND_WORDS: dict[str, str] = {
    "mission": "Mission",
    "office": "Office",
    "embassy": "Embassy",
    "high-commission": "High Commission",
    "consulate-general": "Consulate-General",
    "consulate": "Consulate",
    "permanent-mission": "Permanent Mission",
    "liaison-office": "Liaison Office",
    "information-office": "Information Office",
    "cultural-institute": "Cultural Institute",
}


MAX_WORDS = 50
"""Aliases one party or channel may have, and trigger words per action type of one channel:
every `extract` matches each of them against the whole article (the bundled declarations
have at most 19; 20,000 made every extract take 10 s and 250 MB)."""
MIN_WORD_CHARS, MAX_WORD_CHARS = 2, 100
"""An alias or trigger word is a name or a phrase, with at least one letter ('EU', 'NRC';
not '*' or '-', which would match everywhere)."""


def _word(value: str, info: ValidationInfo) -> str:
    """The rules of an alias or trigger word in an import file: the text rules of every free
    text (no control or bidirectional characters: `extract` prints them in its drafts), a sane
    length, and a letter. Rows read back are not re-judged (`verify` is where)."""
    if not is_import(info):
        return value
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    if not any(char.isalpha() for char in value):
        raise ValueError(
            f"'{echo(value)}' has no letter: an alias or trigger word is a name or phrase"
        )
    if not MIN_WORD_CHARS <= len(value.strip()) <= MAX_WORD_CHARS:
        raise ValueError(
            f"an alias or trigger word has {MIN_WORD_CHARS} to {MAX_WORD_CHARS} characters, "
            f"not {len(value.strip())}"
        )
    return value


def _few_words(values: list[str], info: ValidationInfo) -> list[str]:
    if is_import(info) and len(values) > MAX_WORDS:
        raise ValueError(f"{len(values)} words; at most {MAX_WORDS} are accepted per list")
    return values


Word = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200),
    Field(json_schema_extra={"minLength": MIN_WORD_CHARS, "maxLength": MAX_WORD_CHARS}),
    AfterValidator(_word),
]
Words = Annotated[
    list[Word], Field(json_schema_extra={"maxItems": MAX_WORDS}), AfterValidator(_few_words)
]

Aliases = Annotated[
    Words,
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
        for key in ("code", "sending", "receiving", "city"):
            if key in data and data[key] is None:
                del data[key]
        return data


def _either_code_or_slug_name_kind(schema: dict[str, Any]) -> None:
    """In the JSON Schema: a party gives its code, or its slug, name and kind."""
    schema["required"] = []
    schema["anyOf"] = [{"required": ["code"]}, {"required": ["slug", "name", "kind"]}]


class Party(_Declaration):
    """A state or an organisation. `- code: GB` is enough: slug, name and kind follow from the
    code; any of them written out is kept (a slug must be the code's own)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra=_either_code_or_slug_name_kind
    )

    slug: Slug
    code: str | None = Field(
        default=None,
        pattern=_CODE_PATTERN,
        description="ISO 3166-1 alpha-2 code of a state (GB), or an organisation's (NATO)",
    )
    name: Name = Field(min_length=1)
    kind: PartyKind
    aliases: Aliases
    _derived: frozenset[str] = PrivateAttr(default=frozenset())
    """The fields that followed from the code rather than being written out."""

    @model_validator(mode="wrap")
    @classmethod
    def _from_code(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        entry = None
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            entry = countries.by_code(data["code"])
        if entry is None:
            if isinstance(data, dict) and isinstance(data.get("code"), str):
                raise ValueError(countries.unknown_code(data["code"]))
            return handler(data)
        derived = {"slug": entry.slug, "name": entry.name, "kind": entry.kind}
        missing = {key for key in derived if data.get(key) is None}
        party = handler({**data, **{key: derived[key] for key in missing}})
        if party.slug != entry.slug:
            raise ValueError(
                f"slug '{party.slug}' is not the slug of code {entry.code} ('{entry.slug}'): a "
                "code and its slug name one party; leave the slug out, or write "
                f"'{entry.slug}'"
            )
        if party.kind != entry.kind:
            said = {"state": "a state", "organisation": "an organisation"}
            raise ValueError(
                f"code {entry.code} names {said[entry.kind]}, not {said[party.kind.value]}"
            )
        party._derived = frozenset(missing)
        return party

    @property
    def known_code(self) -> str | None:
        """Its code, written or implied by its slug (`russia` declared before codes is RU)."""
        if self.code is not None:
            return self.code
        entry = countries.by_slug(self.slug)
        return entry.code if entry else None

    def as_recorded(self, stored: dict[str, Any]) -> Party:
        """This declaration as it compares with the one the ledger holds under its slug.

        What followed from the code (a name, a kind) gives way to what was declared, so that
        `- code: RU` names the bundled `russia` ("Russian Federation"); and a code one side
        lacks (a ledger from before codes, a file written before them) changes nothing: a slug
        and its code are one-to-one, so the slug already says it. Anything written out must
        still agree."""
        kept = {key: stored[key] for key in self._derived if key in stored}
        if self.code != stored.get("code") and None in (self.code, stored.get("code")):
            kept["code"] = stored.get("code")
        if not kept:
            return self
        try:
            return Party.model_validate({**self.model_dump(mode="json"), **kept})
        except ValidationError:  # it disagrees (a state declared an organisation): the caller
            return self  # refuses it as a changed declaration


def _either_slug_name_or_post(schema: dict[str, Any]) -> None:
    """In the JSON Schema: a post may leave out slug, name and parties (they follow from its
    sending and receiving parties); any other channel gives them."""
    schema["required"] = ["kind"]
    schema["anyOf"] = [
        {"required": ["sending", "receiving"]},
        {"required": ["slug", "name", "parties"]},
    ]


class Channel(_Declaration):
    """A line of contact between parties. A post gives `sending` and `receiving` (and
    optionally `city`); its `parties` are then [sending, receiving], its `host` the receiving
    party, and its slug and name are derived (`post_slug`) unless written out."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", json_schema_extra=_either_slug_name_or_post
    )

    slug: Slug
    name: Name = Field(min_length=1)
    kind: ChannelKind
    parties: list[PartyRef] = Field(
        min_length=2, description="The parties the channel connects (slugs or codes)"
    )
    host: PartyRef | None = Field(
        default=None, description="The party on whose ground the channel sits, where it has one"
    )
    sending: PartyRef | None = Field(
        default=None, description="A post's sending party (whose embassy, consulate, mission)"
    )
    receiving: PartyRef | None = Field(
        default=None, description="A post's receiving party (a state, or an organisation)"
    )
    city: Name | None = Field(default=None, description="The city a post is in, where known")
    _derived: frozenset[str] = PrivateAttr(default=frozenset())
    """The fields that followed from `sending`, `receiving` and `city`."""
    description: Text | None = None
    aliases: Aliases
    triggers: dict[str, Words] = Field(
        default_factory=dict,
        description=(
            "Extra trigger words by action type (e.g. {mission_suspended: [froze]}), added "
            "to the type's own for this channel by `chancery extract`; optional"
        ),
    )

    @field_validator("triggers")
    @classmethod
    def _known_action_types(
        cls, triggers: dict[str, list[str]], info: ValidationInfo
    ) -> dict[str, list[str]]:
        """A misspelt action type would be kept and never match: `extract` would then fail
        for this ledger for good, on every article. Refused, with the nearest type; the types
        come with the import's validation context (`actions.IMPORT`)."""
        if not is_import(info):
            return triggers
        action_types = sorted(info.context["action-types"]) if info.context else []
        for kind in triggers:
            if kind not in action_types:
                raise ValueError(
                    f"'{echo(kind)}' is not an action type{did_you_mean(kind, action_types)}; "
                    "triggers are listed by action type (see `chancery new`)"
                )
        return triggers

    @model_validator(mode="wrap")
    @classmethod
    def _post_defaults(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        """A post's parties, host, slug and name, from its sending and receiving party."""
        if not isinstance(data, dict) or data.get("kind") not in POST_KINDS:
            return handler(data)
        given = [data.get("sending") is not None, data.get("receiving") is not None]
        if any(given) and not all(given):
            raise ValueError("a post gives both 'sending' and 'receiving', or neither")
        if data["kind"] in STRUCTURED_POST_KINDS and not all(given):
            raise ValueError(
                f"kind '{data['kind']}' is a post of one party in another: give 'sending' and "
                "'receiving' (slugs or codes)"
            )
        try:
            sending, receiving = code_slug(data.get("sending")), code_slug(data.get("receiving"))
        except ValueError:
            return handler(data)  # the field's own validation says what is wrong
        if not (isinstance(sending, str) and isinstance(receiving, str)):
            return handler(data)
        city = data.get("city") if isinstance(data.get("city"), str) else None
        kind = ChannelKind(data["kind"])
        defaults = {
            "parties": [sending, receiving],
            "host": receiving,
            "slug": post_slug(kind, sending, receiving, city),
            "name": post_name(kind, sending, receiving, city),
        }
        missing = {key for key in defaults if data.get(key) is None}
        channel = handler({**data, **{key: defaults[key] for key in missing}})
        channel._derived = frozenset(missing)
        return channel

    def as_recorded(self, stored: dict[str, Any]) -> Channel:
        """This declaration as it compares with the one the ledger holds under its slug: a
        post's derived name gives way to the recorded one (the wording of derived names may
        improve; the post stays the same post)."""
        if "name" not in self._derived or stored.get("name") in (None, self.name):
            return self
        return self.model_copy(update={"name": stored["name"]})

    @model_validator(mode="after")
    def _post_fields(self, info: ValidationInfo) -> Self:
        if not is_import(info):
            return self
        given = [name for name in ("sending", "receiving", "city") if getattr(self, name)]
        if self.kind not in POST_KINDS and given:
            raise ValueError(
                f"kind '{self.kind}' is not a post: '{given[0]}' is for posts "
                f"({', '.join(sorted(POST_KINDS))})"
            )
        if self.kind in STRUCTURED_POST_KINDS and not (self.sending and self.receiving):
            raise ValueError(
                f"kind '{self.kind}' is a post of one party in another: give 'sending' and "
                "'receiving' (slugs or codes)"
            )
        if (self.sending is None) != (self.receiving is None):
            raise ValueError("a post gives both 'sending' and 'receiving', or neither")
        if self.sending is not None and self.sending == self.receiving:
            raise ValueError(f"'{self.sending}' is both sending and receiving party")
        for name in ("sending", "receiving"):
            party = getattr(self, name)
            if party is not None and party not in self.parties:
                raise ValueError(f"{name} '{party}' is not one of the channel's parties")
        return self

    @property
    def sending_party(self) -> str | None:
        """Whose post it is: `sending`, or for a post of release 0.1 (a mission or office with
        a host and two parties) the party that is not the host."""
        if self.sending is not None or self.kind not in POST_KINDS or self.host is None:
            return self.sending
        others = [party for party in self.parties if party != self.host]
        return others[0] if len(others) == 1 else None

    @property
    def receiving_party(self) -> str | None:
        if self.receiving is not None or self.kind not in POST_KINDS:
            return self.receiving
        return self.host if self.sending_party is not None else None

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


def post_slug(kind: ChannelKind, sending: str, receiving: str, city: str | None = None) -> str:
    """A post's slug: `{sending}-{kind}-{receiving}`, then `-{city}` for the kinds a party may
    have several of in one receiving party (consulates, offices, institutes), never for the
    one-per-pair kinds (embassy, high commission, mission). So `russia-embassy-united-kingdom`,
    `united-kingdom-consulate-general-russia-saint-petersburg`."""
    slug = f"{sending}-{kind.value}-{receiving}"
    if city and kind not in ONE_PER_PAIR:
        slug += f"-{city_slug(city)}"
    return slug[:120].rstrip("-")


def city_slug(city: str) -> str:
    """A city as a slug, "St" and "St." spelt out: "St Petersburg" and "Saint Petersburg" are
    one city, `saint-petersburg`."""
    return re.sub(r"(^|-)st(?=-)", r"\1saint", countries.slugify(city))


_WITH_THE = re.compile(
    r"^(United |Holy See)|Republic|Islands$|^(Netherlands|Philippines|Bahamas|Gambia|Maldives|"
    r"Seychelles|Comoros)$"
)
"""Short names said with "the": the United Kingdom, the Czech Republic, the Netherlands."""


def party_words(slug: str) -> str:
    """How a derived name says a party: the short name of its code ("the United Kingdom",
    "NATO"), or its slug where it has none."""
    entry = countries.by_slug(slug)
    if entry is None:
        return slug
    if entry.kind == PartyKind.STATE and _WITH_THE.search(entry.short_name):
        return f"the {entry.short_name}"
    if entry.kind == PartyKind.ORGANISATION and " " in entry.short_name:
        return f"the {entry.short_name}"  # the European Union; NATO, OSCE as they are
    return entry.short_name


def post_name(kind: ChannelKind, sending: str, receiving: str, city: str | None = None) -> str:
    """A post's derived name: "Embassy of Russia in United Kingdom", "Consulate-General of
    United Kingdom in Saint Petersburg, Russia", "Permanent Mission of Russia to NATO"."""
    entry = countries.by_slug(receiving)
    to_organisation = entry is not None and entry.kind == PartyKind.ORGANISATION
    where = party_words(receiving)
    if city and not to_organisation:
        where = f"{city}, {where}"
    preposition = "to" if to_organisation else "in"
    return f"{KIND_WORDS[kind.value]} of {party_words(sending)} {preposition} {where}"


def how_to_declare(what: str, name: str, section: str) -> str:
    """How to declare a missing party or channel: a party that a code stands for says its code
    (the file may have named it `GB`, and the message names `united-kingdom`)."""
    entry = countries.by_slug(name) if what == "party" else None
    if entry is not None:
        return f"{entry.code}'s slug; declare it under '{section}' first: `- code: {entry.code}`"
    return f"declare it under '{section}' first"
