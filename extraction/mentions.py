"""Stage 2, mentions: where the article names a declared channel or party, by its declared
names and aliases, by the structure of diplomacy (`structure.py`: "Russian diplomats", "its
consulates in A and B") and by generic references ("the mission") to the last channel of that
kind; and the lexicon of trigger words the next stage looks for. All of it from data."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from chancery.domain.actions import ACTION_TYPES
from chancery.domain.parties import POST_KINDS, Channel, ChannelKind, Party, PartyKind
from chancery.domain.registry import Registry
from chancery.extraction.segment import Sentence, sentences
from chancery.extraction.structure import Named, Names, structural_mentions

GAP = "…"
"""A word of a trigger phrase standing for up to `GAP_WORDS` words of the text ("order* … out"
reads "ordered the defence advisers out"): a verb and its particle around an object."""
GAP_WORDS = 7
LONG_GAP = "……"
"""Up to `LONG_GAP_WORDS` words, none of them punctuation: a nominal subject and its
passive predicate (the trigger proper, `trigger_span`) around the noun's complement ("the
consent given to the opening and operation of the Consulate General of Japan in Busan has
been withdrawn"). Only for phrases whose second part is a predicate, which anchors them."""
LONG_GAP_WORDS = 25


_GAP_WORD = r"(?!(?:and|or|but)[\s\u00a0]++[a-z]+ed\b)[\w'’-]++"
"""A word a gap may hold: any but a coordinator before a verb in the past ("recalled its envoy
and expelled Serbia's ambassador" is two actions; "recall* … ambassador*" must not join
them, nor hide the first behind the second)."""


def phrase_pattern(phrase: str) -> str:
    """A name or trigger as a regex: case-insensitive, spaces match spaces or hyphens,
    apostrophes either form, `*` ending a word any ending, `…` a few words (`GAP`), `……` a
    clause's worth (`LONG_GAP`), the words after it captured as the trigger's own span
    (`trigger_span`)."""
    parts: list[str] = []
    bounded = False
    # possessive runs (`++`, `*+`): a name followed by a long run of blanks is read once
    between = r"(?:[\s\u00a0]++|[\s\u00a0]*+[-‐‑–—][\s\u00a0]*+)"
    gaps = {GAP: GAP_WORDS, "...": GAP_WORDS, LONG_GAP: LONG_GAP_WORDS}
    joiners: list[str] = []
    predicate = 0
    for word in phrase.strip().split():
        if word in gaps:
            if parts:
                joiners[-1:] = [rf"[\s\u00a0]++(?:{_GAP_WORD}[\s\u00a0]++){{0,{gaps[word]}}}?"]
                predicate = len(parts) if word == LONG_GAP else predicate
            continue
        wild = word.endswith("*")
        word = word.rstrip("*")
        pieces = [
            "['’]" if ch in "'’" else r"[-‐‑–— ]" if ch in "-‐‑–—" else re.escape(ch) for ch in word
        ]
        if not parts and pieces:
            # the word boundary is checked after the first character, not before it, so that
            # the regex engine can skip ahead to where that character occurs (twice as fast)
            pieces[0] += r"(?<![\w-][\s\S])"
            bounded = True
        parts.append("".join(pieces) + (r"\w*+" if wild else ""))
        joiners.append(between)
    if predicate:
        parts[predicate] = "(" + parts[predicate]
        parts[-1] += ")"
    body = "".join(joiner + part for part, joiner in zip(parts, ["", *joiners[:-1]], strict=True))
    return ("" if bounded else r"(?<![\w-])") + body + r"(?![\w])"


def trigger_span(match: re.Match[str]) -> tuple[int, int]:
    """Where a trigger stands: the whole match, or for a phrase with a `LONG_GAP` the
    predicate after the gap, which carries the tense, negation and voice the later stages
    read before it ("... will be withdrawn")."""
    if match.lastindex:
        return match.start(match.lastindex), match.end()
    return match.start(), match.end()


_FOLD_TO_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
"""The characters outside ASCII that a case-insensitive pattern matches to an ASCII letter and
whose lower case is not that letter (dotted and dotless I, long s; the Kelvin sign lowers to
k), dotted I being also the one whose lower case is longer than itself: folded first, so that
lowering keeps every character in place."""
_PLAIN_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=8)
def _plain_words(text: str) -> frozenset[str]:
    """The runs of ASCII letters and digits in the text, folded as a case-insensitive pattern
    compares them: what `NamePattern` needs to tell that a name cannot occur in it."""
    return frozenset(_PLAIN_WORD.findall(text.translate(_FOLD_TO_ASCII).lower()))


def _needed_words(name: str) -> frozenset[str] | None:
    """The plain words a text must hold for `phrase_pattern(name)` to match in it: each run
    of ASCII letters and digits of the name stands between a separator, a dash, an apostrophe
    or a boundary, which the text matches with characters that are none of those, so each is
    one of the text's `_plain_words` (a run a `*` lets go on is not needed whole). None where
    a character outside ASCII makes that uncertain: the name is always tried."""
    if not name.isascii():
        return None
    needed: set[str] = set()
    for word in name.split():
        runs = _PLAIN_WORD.findall(word.lower())
        needed.update(runs[:-1] if word.endswith("*") else runs)
    return frozenset(needed)


class NamePattern:
    """The names of one channel or party as one pattern, compiled for a text from only the
    names whose plain words all occur in it. A name that cannot match anywhere in the text
    changes nothing the pattern finds in it; compiling every name of a large ledger's
    declarations for every article took seconds per thousand names."""

    def __init__(self, names: Iterable[str]) -> None:
        ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
        self._names = [(name, _needed_words(name)) for name in ordered]
        self._compiled: dict[tuple[str, ...], re.Pattern[str]] = {}

    def finditer(self, text: str, whole: str | None = None) -> Iterator[re.Match[str]]:
        """The pattern's matches in `text`, a part of `whole` (the article) or the article."""
        pattern = self.compiled_for(text if whole is None else whole)
        return iter(()) if pattern is None else pattern.finditer(text)

    def compiled_for(self, whole: str) -> re.Pattern[str] | None:
        """The pattern of the names that may occur in `whole`; None when none may."""
        words = _plain_words(whole)
        present = tuple(n for n, needed in self._names if needed is None or needed <= words)
        if not present:
            return None
        pattern = self._compiled.get(present)
        if pattern is None:
            alternatives = "|".join(phrase_pattern(n) for n in present)
            pattern = self._compiled[present] = re.compile(alternatives, re.IGNORECASE)
        return pattern


# ----------------------------------------------------------------------------- lexicon


GENERIC_REFERENCES: dict[ChannelKind, tuple[str, ...]] = {
    ChannelKind.MISSION: (
        "the mission",
        "its mission",
        "their mission",
        "the permanent mission",
        "its permanent mission",
        "permanent mission",
        "the delegation",
        "its delegation",
    ),
    ChannelKind.OFFICE: ("the office", "its office", "the bureau"),
    ChannelKind.COUNCIL: ("the council",),
}
"""Plain-English references to a channel by its kind; they name the last channel of that kind
mentioned before them. Not specific to any dyad."""


_GENERIC_PATTERNS = {
    kind: re.compile("|".join(phrase_pattern(p) for p in phrases), re.IGNORECASE)
    for kind, phrases in GENERIC_REFERENCES.items()
}


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str
    generic: bool = False
    staff: bool = False
    """Named by the people who serve at the post ("diplomats"): see `STAFF_ACTIONS`."""
    group: tuple[str, ...] = ()
    """Every channel of the list this mention is one of ("its consulates in A, B and C"):
    a trigger paired with one of them proposes each."""


@dataclass
class Lexicon:
    """What the extractor recognises: channels, parties and trigger words, all from data."""

    channels: dict[str, Channel]
    parties: dict[str, Party]
    channel_patterns: list[tuple[NamePattern | re.Pattern[str], str]]
    party_patterns: list[tuple[NamePattern, str]]
    triggers: list[tuple[re.Pattern[str], str, None]]
    """(pattern, action type, None): the action types' own trigger words."""
    channel_triggers: list[tuple[NamePattern, str, str]]
    """(words, action type, the channel they are limited to): a channel's declared triggers,
    compiled per article from the words it holds (`NamePattern`), as a large ledger declares
    thousands of them."""
    registry: Registry
    names: Names

    @classmethod
    def build(cls, channels: Mapping[str, Channel], parties: Mapping[str, Party]) -> Lexicon:
        def compiled(names: list[str]) -> re.Pattern[str]:
            ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
            return re.compile("|".join(phrase_pattern(n) for n in ordered), re.IGNORECASE)

        registry = Registry.build(parties.values(), channels.values())
        channel_patterns: list[tuple[NamePattern | re.Pattern[str], str]] = [
            (NamePattern([c.name, *c.aliases, *_short_names(c, channels, registry)]), slug)
            for slug, c in channels.items()
        ]
        channel_patterns += [
            (NamePattern([short]), slug)
            for slug, c in channels.items()
            if (short := _unprefixed_name(c, channels, registry))
        ]
        channel_patterns += _acronym_patterns(channels, registry)
        party_patterns = [
            (NamePattern([p.name, *p.aliases, p.slug]), slug) for slug, p in parties.items()
        ]
        triggers: list[tuple[re.Pattern[str], str, None]] = [
            (compiled(list(action.triggers)), type_, None)
            for type_, action in ACTION_TYPES.items()
            if action.triggers
        ]
        channel_triggers = [
            (NamePattern(words), type_, slug)
            for slug, channel in channels.items()
            for type_, words in channel.triggers.items()
            if type_ in ACTION_TYPES and words
        ]
        return cls(
            dict(channels),
            dict(parties),
            channel_patterns,
            party_patterns,
            triggers,
            channel_triggers,
            registry,
            Names.build(registry),
        )

    def triggers_in(self, text: str) -> list[tuple[re.Pattern[str], str, str | None]]:
        """The trigger patterns to look for in the article `text`, in the order they are
        declared (the action types', then each channel's): a channel's words none of which
        can occur in it are left out, which changes nothing found in it."""
        found: list[tuple[re.Pattern[str], str, str | None]] = list(self.triggers)
        for words, type_, slug in self.channel_triggers:
            pattern = words.compiled_for(text)
            if pattern is not None:
                found.append((pattern, type_, slug))
        return found

    def unknown_trigger_types(self) -> list[str]:
        """Action types named in channels' `triggers` that do not exist (typos)."""
        return sorted(
            {t for c in self.channels.values() for t in c.triggers if t not in ACTION_TYPES}
        )

    def channel_mentions(self, text: str, sents: Sequence[Sentence] | None = None) -> list[Mention]:
        """Longest names first, no overlaps; then the posts and pair channels the text
        describes by structure (see `structure.py`); generic references resolved to the last
        explicitly named channel of their kind."""
        found: list[Mention] = []
        taken = bytearray(len(text) + 1)  # 1 where a kept mention lies: one look per mention

        def free(start: int, end: int) -> bool:
            return taken.find(1, start, end) < 0

        candidates = sorted(
            (
                Mention(m.start(), m.end(), slug)
                for pattern, slug in self.channel_patterns
                for m in pattern.finditer(text)
            ),
            key=lambda m: (-(m.end - m.start), m.start),
        )
        names = self.names.find(text)
        candidates = [m for m in candidates if self._in_reach(text, m, names)]
        for mention in candidates:
            if free(mention.start, mention.end):
                found.append(mention)
                taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        spans = [(s.start, s.end, s.paragraph) for s in (sents or sentences(text))]
        named_at = sorted(m.start for m in found)
        named_posts = sorted(
            (m.start, self.channels[m.slug])
            for m in found
            if self.channels[m.slug].kind in POST_KINDS
        )
        for post in structural_mentions(text, spans, names, self.registry, named_at, named_posts):
            if free(post.start, post.end):
                group = post.slugs if len(post.slugs) > 1 else ()
                found.extend(
                    Mention(post.start, post.end, slug, staff=post.staff, group=group)
                    for slug in post.slugs
                )
                taken[post.start : post.end] = b"\x01" * (post.end - post.start)
        generic: list[tuple[int, int, ChannelKind]] = []
        for kind, pattern in _GENERIC_PATTERNS.items():
            for m in pattern.finditer(text):
                if free(m.start(), m.end()):
                    generic.append((m.start(), m.end(), kind))
        found.extend(self._resolve_generic(found, generic, spans))
        return sorted(found, key=lambda m: m.start)

    def _resolve_generic(
        self,
        found: Sequence[Mention],
        generic: Sequence[tuple[int, int, ChannelKind]],
        spans: Sequence[tuple[int, int, int]],
    ) -> list[Mention]:
        """Each generic reference names a channel of its kind from the last sentence that
        named one before it: the first that sentence named, its topic ("The NATO-Russia
        Council was established, replacing the Permanent Joint Council. The Council met":
        the new one), or the last before it in its own sentence."""
        sentence_starts = [start for start, _, _ in spans]
        by_end = sorted(found, key=lambda m: m.end)
        last: dict[ChannelKind, tuple[int, str]] = {}
        position = 0
        resolved: list[Mention] = []
        for start, end, kind in sorted(generic):
            here = bisect_right(sentence_starts, start)
            while position < len(by_end) and by_end[position].end <= start:
                mention = by_end[position]
                mention_kind = self.channels[mention.slug].kind
                sentence = bisect_right(sentence_starts, mention.start)
                known = last.get(mention_kind)
                if known is None or known[0] != sentence or sentence == here:
                    last[mention_kind] = (sentence, mention.slug)
                position += 1
            if kind in last:
                resolved.append(Mention(start, end, last[kind][1], generic=True))
        return resolved

    def party_mentions(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """The parties named in text[start:end] (start, end, party): by their declared names
        and aliases, and by the registry's words (short names, demonyms, capitals, metonyms)."""
        chunk = text[start:end]
        found = {
            (start + m.start(), start + m.end(), slug)
            for pattern, slug in self.party_patterns
            for m in pattern.finditer(chunk, text)
        }
        found.update(
            (n.start, n.end, n.party) for n in self.names.find(text, start, end) if n.party
        )
        return sorted(found)

    def _in_reach(self, text: str, mention: Mention, names: Sequence[Named]) -> bool:
        """A named post to an organisation ("Russia's permanent mission", an alias) counts
        only where its organisation is named in the text and no other is named as its
        receiver right after it ("... to the UN")."""
        receiving = self.channels[mention.slug].receiving_party
        profile = self.registry.profiles.get(receiving or "")
        if profile is None or profile.kind != PartyKind.ORGANISATION:
            return True
        if not any(n.party == receiving for n in names):
            return False
        after = _TO_RECEIVER.match(text, mention.end)
        return after is None or any(n.start == after.end() and n.party == receiving for n in names)


_TO_RECEIVER = re.compile(r"\s+(?:to|at)\s+(?:the\s+)?(?=[A-Z])")
_LOCATED = re.compile(r"\s+(?:in|to|at)\s+(?:the\s+)?\S.*$")


def _short_names(
    channel: Channel, channels: Mapping[str, Channel], registry: Registry
) -> list[str]:
    """A post's declared name without its place ("British Council in Russia" -> "British
    Council"), and without the sending party opening it too ("NATO Information Office in
    Moscow" -> "Information Office"; "NATO's military liaison mission" is still it), where
    a word other than a party's or a plain post noun remains (`_distinctive`: "Embassy of
    Russia" is read by the structure) and no other declared channel shortens to the same
    words: reports name a post so once the place is clear."""
    mine = _shortenings(channel, registry)
    return [
        short
        for short in mine
        if not any(
            short in _shortenings(other, registry)
            for other in channels.values()
            if other is not channel
        )
    ]


def _shortenings(channel: Channel, registry: Registry) -> list[str]:
    """The shorter names `_short_names` may give a post, before the uniqueness check."""
    if channel.kind not in POST_KINDS:
        return []
    short = _LOCATED.sub("", channel.name)
    if short == channel.name or len(short) < 6:
        return []
    found = registry.mentions(short)
    opening = found[0].end if found and found[0].start == 0 else 0
    unowned = short[opening:].strip()
    kept = [short] + ([unowned] if len(unowned.split()) >= 2 else [])  # not "Delegation"
    return [s for s in dict.fromkeys(kept) if len(s) >= 6 and _distinctive(s, registry)]


def _distinctive(name: str, registry: Registry) -> bool:
    """Whether the name has a word that is neither a party's nor a plain post noun."""
    rest = name
    for mention in reversed(registry.mentions(name)):
        rest = rest[: mention.start] + " " + rest[mention.end :]
    words = {w.casefold() for w in re.findall(r"[\w']+", rest)}
    return bool(words - _PLAIN_NOUNS - {"of", "the", "to", "in"})


_PAIR_PREFIX = re.compile(r"([^\s\-‐‑–—/]+)\s*+[-‐‑–—/]\s*+([^\s\-‐‑–—/]+)\s++(\S.*)")
"""A name opening with the pair's two parties ("NATO-Russia Permanent Joint Council")."""


def _unprefixed_name(channel: Channel, channels: Mapping[str, Channel], registry: Registry) -> str:
    """A pair channel's declared name without the pair that opens it ("NATO-Russia Permanent
    Joint Council" -> "Permanent Joint Council", "US-Russia practical cooperation" ->
    "practical cooperation"): once a report has named the parties it calls their council or
    cooperation so. Kept only where two words or more remain (one word, "Council", is the
    generic reference's) and no other declared channel shortens to the same words."""
    if channel.kind in POST_KINDS:
        return ""
    parts = _PAIR_PREFIX.fullmatch(channel.name.strip())
    if parts is None or len(parts[3].split()) < 2:
        return ""
    pair = {naming.party for word in parts.group(1, 2) for naming in registry.named(word)}
    if not set(channel.parties) <= pair:
        return ""
    same = [c for c in channels.values() if c.name.strip().endswith(parts[3])]
    return parts[3] if len(same) == 1 else ""


_FUNCTION_WORDS = frozenset({"of", "the", "to", "in", "and", "for", "at", "on"})


def _acronym(name: str) -> str:
    """The initials of a name of three to six capitalised words ("NATO-Russia Council" ->
    "NRC", "Military Liaison Mission" -> "MLM"), or "" where it has fewer or others."""
    words = [w for w in re.split(r"[\s\-‐‑–—/]+", name) if w and w.lower() not in _FUNCTION_WORDS]
    if not 3 <= len(words) <= 6 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def _acronym_patterns(
    channels: Mapping[str, Channel], registry: Registry
) -> list[tuple[re.Pattern[str], str]]:
    """Each channel's acronyms, from its declared name, its name without the pair opening it,
    and its shorter post names (never a place's initials): reports name councils and
    missions so ("the NRC", "the MLM in Moscow"). An acronym two channels share, or that is a
    party's word, names neither. Matched in capitals only."""
    owners: dict[str, set[str]] = {}
    for slug, channel in channels.items():
        names = [
            *([] if channel.kind in POST_KINDS else [channel.name]),
            _unprefixed_name(channel, channels, registry),
            *_shortenings(channel, registry),
        ]
        for name in names:
            if acronym := _acronym(name):
                owners.setdefault(acronym, set()).add(slug)
    return [
        (re.compile(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])"), next(iter(slugs)))
        for acronym, slugs in sorted(owners.items())
        if len(slugs) == 1 and not registry.named(acronym)
    ]


_PLAIN_NOUNS = frozenset(
    ["embassy", "consulate", "mission", "office", "commission", "general", "institute"]
)
"""Last words of a shortened name that leave only a post noun ("Embassy of Russia"): the
structure reads those, a shortened name would claim every such post."""
