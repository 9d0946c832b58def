"""What the filters of `events` name, read against the ledger: an action type (its name or its
words), a party (its slug or its code), a source (its id). A value that names nothing is a usage
error, with the nearest right value where one is close."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from chancery.domain.errors import ArgumentError, did_you_mean, echo

if TYPE_CHECKING:
    from chancery.storage.readmodel import ReadModel

NEIGHBOURS = 50
"""How many declared keys on either side of a misspelt source id a did-you-mean weighs: a
ledger of a million sources is not read to suggest one."""


def _words(text: str) -> str:
    """A type's name or words in one form: lowercase words separated by single spaces."""
    return " ".join(re.split(r"[\s_-]+", text.strip().lower()))


def action_types(value: str) -> frozenset[str]:
    """The action types `value` names: a type's name (`accreditation_withdrawn`), the same in
    words (`accreditation withdrawn`), or the words views say it in (`accreditations
    withdrawn`; "closed" names every type said so)."""
    from chancery.domain.actions import ACTION_TYPES

    wanted = _words(value)
    named = frozenset(
        name
        for name, kind in ACTION_TYPES.items()
        if wanted in (_words(name), _words(kind.summary))
    )
    if not named:
        choices = list(ACTION_TYPES)
        hint = did_you_mean(wanted.replace(" ", "_"), choices)
        raise ArgumentError(
            f"--type: '{echo(value)}' is not an action type{hint} (`chancery new --help` and "
            "the README list them; words such as 'meeting held' work too)"
        )
    return named


def party(read: ReadModel, option: str, value: str) -> str:
    """The slug of the declared party `value` names: its slug, or its ISO 3166-1 or
    organisation code (`RU`, `nato`, `NATO`)."""
    from chancery.domain import countries

    declared = read.parties()
    if value in declared:
        return value
    entry = countries.by_code(value) or countries.by_code(value.upper())
    if entry is not None and entry.slug in declared:
        return entry.slug
    codes = [e.code for slug in declared if (e := countries.by_slug(slug)) is not None]
    raise ArgumentError(
        f"{option}: no party '{echo(value)}' in this ledger"
        f"{did_you_mean(value, [*declared, *codes])} (give a party's slug or code)"
    )


def source(read: ReadModel, value: str) -> str:
    """`value` when it is a declared source's id."""
    if read.sources({value}):
        return value
    hint = did_you_mean(value, read.sources_near(value, NEIGHBOURS))
    raise ArgumentError(
        f"--source: no source '{echo(value)}' in this ledger{hint} (`chancery sources` lists them)"
    )
