"""`chancery dyad A B`: the standard declarations of a pair of parties, as a commented import
file to review and import. Pure: it reads no ledger, and what it prints imports as it stands
into a fresh ledger or one holding the bundled data (a code names the party already declared
by its slug)."""

from __future__ import annotations

from chancery.domain import countries
from chancery.domain.actions import IMPORT
from chancery.domain.errors import ArgumentError
from chancery.domain.parties import (
    ChannelKind,
    Party,
    PartyKind,
    post_name,
    post_slug,
)
from chancery.domain.registry import profile_of

K = ChannelKind


def _party(code: str) -> tuple[Party, str]:
    """The party of a code (or of the slug a code stands for), and its short name."""
    entry = countries.by_code(code) or countries.by_slug(code)
    if entry is None:
        raise ArgumentError(countries.unknown_code(code))
    return Party.model_validate({"code": entry.code}, context=IMPORT), entry.short_name


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (names come from tables, but may hold an apostrophe)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _post(kind: ChannelKind, sending: Party, receiving: Party, city: str | None) -> list[str]:
    slug = post_slug(kind, sending.slug, receiving.slug, city)
    lines = [
        f"  # {post_name(kind, sending.slug, receiving.slug, city)}",
        f"  - slug: {slug}",
        f"    kind: {kind.value}",
        f"    sending: {sending.code}",
        f"    receiving: {receiving.code}",
    ]
    if city:
        lines.append(f"    city: {_quoted(city)}")
    return lines


def _placeholder(kind: ChannelKind, sending: Party, receiving: Party, what: str) -> list[str]:
    slug = post_slug(kind, sending.slug, receiving.slug, "CITY")
    return [
        f"  # {what} (uncomment, write the city; the slug ends with the city's):",
        f"  # - slug: {slug.removesuffix('-city')}-CITY",
        f"  #   kind: {kind.value}",
        f"  #   sending: {sending.code}",
        f"  #   receiving: {receiving.code}",
        "  #   city: CITY",
    ]


def _pair_posts(first: Party, second: Party) -> list[str]:
    """Each state's embassy in the other's capital, with consulates as placeholders; a state's
    permanent mission at an organisation's seat, and the organisation's office as a
    placeholder; nothing between two organisations."""
    lines: list[str] = []
    for sending, receiving in ((first, second), (second, first)):
        seat = profile_of(receiving).capital
        if sending.kind == PartyKind.STATE and receiving.kind == PartyKind.STATE:
            lines += _post(K.EMBASSY, sending, receiving, seat)
            lines += _placeholder(K.CONSULATE_GENERAL, sending, receiving, "A consulate-general")
        elif sending.kind == PartyKind.STATE:
            lines += _post(K.PERMANENT_MISSION, sending, receiving, seat)
        elif receiving.kind == PartyKind.STATE:
            lines += _placeholder(
                K.INFORMATION_OFFICE, sending, receiving, "An information or liaison office"
            )
    return lines


def dyad_file(first_code: str, second_code: str) -> str:
    """The import file of a pair: both parties by code, their posts (`_pair_posts`), the
    pair's `relations` and a `dialogue` channel, with comments saying what to check."""
    (first, first_name), (second, second_name) = _party(first_code), _party(second_code)
    if first.slug == second.slug:
        raise ArgumentError(f"'{first_code}' and '{second_code}' are one party: give two")
    pair = f"{first.slug}-{second.slug}"
    title = f"{first_name} – {second_name}"
    lines = [
        f"# {title}: the standard declarations of the pair (chancery dyad {first.code} "
        f"{second.code}).",
        "# Review before importing: the cities are capitals (or an organisation's seat) from",
        "# countryinfo; a post elsewhere (an embassy in Tel Aviv, say) needs its city changed",
        "# *and* its slug, which ends with the city's for consulates and offices. Add `aliases`",
        "# where reports use other names. Slugs are written out so that events can cite them.",
        "chancery: 1",
        "",
        "parties:",
        f"  - code: {first.code}  # {first.name}",
        f"  - code: {second.code}  # {second.name}",
        "",
        "channels:",
        *_pair_posts(first, second),
        "  # The pair's diplomatic relations as a whole: downgraded, severed, restored.",
        f"  - slug: {pair}-relations",
        f"    name: {_quoted(title + ' diplomatic relations')}",
        "    kind: relations",
        f"    parties: [{first.code}, {second.code}]",
        "  # Talks between the two: meetings, invitations, contacts.",
        f"  - slug: {pair}-dialogue",
        f"    name: {_quoted(title + ' dialogue')}",
        "    kind: dialogue",
        f"    parties: [{first.code}, {second.code}]",
    ]
    return "\n".join(lines) + "\n"
