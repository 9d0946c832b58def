"""Proposing the reported actions of one article.

The pipeline is deliberately plain, so an analyst can predict it and extend it with data:

1. split the article into paragraphs and sentences (pysbd, a rule-based segmenter that keeps
   character offsets: every quote is a verbatim slice of the article);
2. find channel and party mentions by their names and declared `aliases`, and generic
   references ("the mission", "its permanent mission") to the last channel of that kind;
3. find each action type's trigger words (`Action.triggers`, plus a channel's own `triggers`),
   pair each with the nearest channel mention of a kind the type fits, and drop negated,
   conditional and intended ones ("did not", "if", "will", "plans to": `modality.py`);
4. date each proposal (`dating.py`): a date expression in its sentence; else one given just
   before in the same paragraph; else, for statements, the date the article gives its speaker;
   else an assumed window before publication, said so in `resolution`;
5. merge what one article reports twice (the same action on the same channel and dates).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

import pysbd
from chancery.domain.actions import ACTION_TYPES, Action
from chancery.domain.dates import UncertainDate
from chancery.domain.errors import printable
from chancery.domain.parties import POST_KINDS, Channel, ChannelKind, Party, PartyKind
from chancery.domain.registry import Registry
from chancery.extraction.articles import ArticleError, read_bytes
from chancery.extraction.dates import date_spans
from chancery.extraction.dating import ArticleDates
from chancery.extraction.modality import is_intent, is_negated
from chancery.extraction.numbers import people_count, staff_caps
from chancery.extraction.structure import STAFF_ACTIONS, Named, Names, structural_mentions

MAX_ARTICLE_BYTES = 512 * 1024
"""A news report is a few kilobytes; past 512 KiB (a hundred reports) a file is refused before
it is read whole: extraction takes about a second per 20 KiB on a shared core."""

MAX_PROPOSALS = 200
"""Distinct actions one article may propose. Each is checked against the channel's rules with
those before it, so a draft of thousands would take minutes to match and nobody could review
it; past this the article is refused (a report proposes a handful, a long review dozens)."""

MAX_TRIGGER_DISTANCE = 120
"""Characters between a trigger word and the channel mention it is paired with."""


def read_article(path: Path) -> str:
    """The article's text (see `read_article_text`)."""
    return read_article_text(path)[0]


def read_article_text(path: Path) -> tuple[str, int]:
    """The article's text and how many of its bytes were not UTF-8. UTF-8, with each byte
    that is not (a stray byte of older wire copy) read as Windows-1252 where it stands, so one
    such byte does not turn every other character of the article into mojibake; a byte
    Windows-1252 leaves undefined becomes U+FFFD. Binary files, empty files, anything but a
    regular file and files over `MAX_ARTICLE_BYTES` are refused with a reason."""
    name = printable(str(path))
    data = read_bytes(path, MAX_ARTICLE_BYTES)
    if b"\x00" in data:
        raise ArticleError(f"{name}: contains NUL bytes, so it is not a plain-text article")
    controls = sum(1 for byte in data if byte < 32 and byte not in (9, 10, 12, 13))
    if controls > max(8, len(data) // 50):
        raise ArticleError(f"{name}: mostly control bytes, so it is not a plain-text article")
    text, repaired = decode_article(data)
    if not text.strip():
        raise ArticleError(f"{name}: the article is empty")
    return text, repaired


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
"""What `surrogateescape` makes of a byte that is not UTF-8: U+DC80 + the byte."""


def _windows_1252(match: re.Match[str]) -> str:
    byte = bytes([ord(match.group(0)) - 0xDC00])
    try:
        return byte.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in Windows-1252
        return "\ufffd"


def decode_article(data: bytes) -> tuple[str, int]:
    """`data` as UTF-8 (a byte-order mark dropped), each byte that is not UTF-8 read as
    Windows-1252 in place; with the number of such bytes. One pass over the bytes."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    repaired = len(_ESCAPED_BYTE.findall(text))
    return (_ESCAPED_BYTE.sub(_windows_1252, text) if repaired else text), repaired


@dataclass(frozen=True)
class Article:
    """An article's text, its file name and its publication date (an interval if undated);
    `repaired` counts the bytes of the file that were not UTF-8 (see `decode_article`)."""

    text: str
    name: str
    published: UncertainDate
    repaired: int = 0


@dataclass(frozen=True)
class Quote:
    """A verbatim slice of the article: `text == article[start:end]`."""

    text: str
    start: int
    end: int


@dataclass
class Proposal:
    """One reported action the article proposes for the ledger."""

    type: str
    channel: str
    actor: str
    target: str | None
    date: UncertainDate
    quote: Quote
    confidence: float
    effective: UncertainDate | None = None
    count: int | None = None
    from_cap: int | None = None
    to_cap: int | None = None
    date_assumed: bool = False
    """True when the text gives no date for it and the window is the extractor's assumption."""
    quotes: list[Quote] = field(default_factory=list)
    """Every sentence of the article that reports it (the first is `quote`)."""


# ----------------------------------------------------------------------------- text


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


_HEADER = re.compile(
    r"\A\s*+(?:(?:date|published|posted|updated)\s*+:?\s*+)?"
    r"\d{4}-\d{2}-\d{2}(?:[T ][\d:]++Z?)?\s+",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    r"^[ \t]*+[A-Z][A-Z .'’-]{2,40}(?:\([^)\n]{1,40}\))?,?[ \t\u00a0]*+"
    r"(?:[A-Z][a-z]{2,8}\.?[ \t\u00a0]++\d{1,2}(?:,?[ \t]++\d{4})?[ \t\u00a0]*+)?"
    r"(?:\([^)\n]{1,40}\)[ \t\u00a0]*+)?"
    r"[—–-]++[ \t\u00a0]*+",
    re.MULTILINE,
)
"""Every run of blanks in these two is possessive (`*+`: never given back to be tried shorter),
so a name followed by a megabyte of blanks costs one pass, not one pass per blank."""


def metadata_spans(text: str) -> list[tuple[int, int]]:
    """Spans that are the article's own metadata (a 'date 2021-10-07' header, a 'BRUSSELS,
    Oct 21 —' dateline): they date the article, never an action, and are kept out of quotes."""
    spans = []
    header = _HEADER.match(text)
    if header:
        spans.append((header.start(), header.end()))
    spans.extend((m.start(), m.end()) for m in _DATELINE.finditer(text))
    return sorted(spans)


MAX_SEGMENT = 1000
"""Characters the sentence segmenter is given at once. pysbd re-reads its whole input for each
sentence it finds, and once per abbreviation it meets ("Mon", "Oct", "Mr"), so a long line is
cut into pieces of at most this size, after the last sentence end before the bound (else the
last blank): a real sentence is far shorter, and the work stays linear in the article."""


def _pieces(body: str) -> list[tuple[int, int]]:
    """`body` as consecutive spans of at most `MAX_SEGMENT` characters (see there)."""
    pieces: list[tuple[int, int]] = []
    start, size = 0, len(body)
    while size - start > MAX_SEGMENT:
        floor, limit = start + MAX_SEGMENT // 2, start + MAX_SEGMENT
        ends = [
            m.end()
            for m in _INNER_END.finditer(body, floor, limit)
            if _ends_sentence(body, floor, m)
        ]
        cut = ends[-1] if ends else max(body.rfind(c, floor, limit) for c in " \t\u00a0") + 1
        if cut <= floor:
            cut = limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, size))
    return pieces


_SPLITS = re.compile("[.!?。．！？ȸȹ☉☈☇☄•)\r]")
"""Every character pysbd may end a sentence or a list item at."""


def _segment(piece: str) -> list[tuple[int, int]]:
    """pysbd's sentences of one bounded piece, as offsets into it. pysbd's own offset finder
    searches the whole input again for every sentence; here each is looked for from where
    the previous one ended, once."""
    if not _SPLITS.search(piece):
        return [(0, len(piece))]  # nothing pysbd splits at: one sentence, as it would say
    try:
        found = _segmenter().processor(piece).process()
    except Exception:  # the segmenter's regexes are its own; fall back to one span
        return [(0, len(piece))]
    spans: list[tuple[int, int]] = []
    cursor = 0
    for sentence in found or []:
        if not sentence:
            continue
        at = piece.find(sentence, cursor)
        if at < 0:
            continue
        end = at + len(sentence)
        while end < len(piece) and piece[end].isspace():
            end += 1
        spans.append((at, end))
        cursor = end
    return spans or [(0, len(piece))]


def sentences(text: str) -> list[Sentence]:
    """Sentences with offsets, trimmed of surrounding spaces and of leading metadata; a
    sentence never crosses a line break, so paragraphs stay apart."""
    result: list[Sentence] = []
    skip = metadata_spans(text)
    skip_starts = [x for x, _ in skip]
    cursor = 0
    for paragraph, line in enumerate(re.finditer(r"[^\n]+", text)):
        base = line.start()
        body = line.group(0)
        if not body.strip():
            continue
        spans = [
            (first + a, first + b)
            for first, last in _pieces(body)
            for a, b in _segment(body[first:last])
        ]
        spans = [part for a, b in spans for part in _split_further(body, a, b)]
        for a, b in spans:
            a, b = base + a, base + b
            if a >= b or b <= cursor:
                continue
            while True:  # metadata spans (datelines lie within a line) never overlap a quote
                i = bisect_right(skip_starts, a) - 1
                if i < 0 or a >= skip[i][1]:
                    break
                a = skip[i][1]
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b - a >= 3:
                result.append(Sentence(a, b, paragraph))
                cursor = b
    return result


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "col",
        "lt",
        "sgt",
        "prof",
        "jr",
        "sr",
        "vs",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
        "etc",
        "inc",
        "corp",
        "co",
    ]
)
_INNER_END = re.compile(r"[.!?][\"”’]?(?:\s++(?=[\"“‘(]?[A-Z0-9])|(?=[A-Z][a-z]))")
_LAST_WORD = re.compile(r"([\w.]++)[\])]*+$")


def _ends_sentence(body: str, start: int, match: re.Match[str]) -> bool:
    """Whether an `_INNER_END` match (in a sentence that began at `start`) ends a sentence:
    not after an abbreviation ("Mr.", "Oct."), an initial or a number. The word before it is
    looked for in a bounded window, so ends skipped one after another ("Mr.Ab" repeated) are
    not each re-read from the start of the sentence."""
    word = _LAST_WORD.search(body, max(start, match.start() - 64), match.start())
    token = word.group(1).lower() if word else ""
    return (
        bool(token) and token not in _ABBREVIATIONS and len(token) > 1 and not token[-1].isdigit()
    )


def _split_further(body: str, a: int, b: int) -> list[tuple[int, int]]:
    """Split where the segmenter missed a sentence end: inside quotation marks ("...meeting.
    They have not responded...") and where a wire copy lost the space ("Thursday.He")."""
    parts, start = [], a
    for match in _INNER_END.finditer(body, a, b):
        if not _ends_sentence(body, start, match):
            continue
        if match.end() - start < 3 or b - match.end() < 3:
            continue
        parts.append((start, match.end()))
        start = match.end()
    parts.append((start, b))
    return parts


def _phrase_pattern(phrase: str) -> str:
    """A name or trigger as a regex: case-insensitive, spaces match spaces or hyphens,
    apostrophes either form, `*` ending a word any ending."""
    parts: list[str] = []
    bounded = False
    for word in phrase.strip().split():
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
    # possessive runs (`++`, `*+`): a name followed by a long run of blanks is read once
    between = r"(?:[\s\u00a0]++|[\s\u00a0]*+[-‐‑–—][\s\u00a0]*+)"
    return ("" if bounded else r"(?<![\w-])") + between.join(parts) + r"(?![\w])"


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
    kind: re.compile("|".join(_phrase_pattern(p) for p in phrases), re.IGNORECASE)
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
    channel_patterns: list[tuple[re.Pattern[str], str]]
    party_patterns: list[tuple[re.Pattern[str], str]]
    triggers: list[tuple[re.Pattern[str], str, str | None]]
    """(pattern, action type, channel it is limited to or None)."""
    registry: Registry
    names: Names

    @classmethod
    def build(cls, channels: Mapping[str, Channel], parties: Mapping[str, Party]) -> Lexicon:
        def compiled(names: list[str]) -> re.Pattern[str]:
            ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
            return re.compile("|".join(_phrase_pattern(n) for n in ordered), re.IGNORECASE)

        channel_patterns = [
            (compiled([c.name, *c.aliases, *_short_names(c, channels)]), slug)
            for slug, c in channels.items()
        ]
        party_patterns = [
            (compiled([p.name, *p.aliases, p.slug]), slug) for slug, p in parties.items()
        ]
        triggers: list[tuple[re.Pattern[str], str, str | None]] = []
        for type_, action in ACTION_TYPES.items():
            if action.triggers:
                triggers.append((compiled(list(action.triggers)), type_, None))
        for slug, channel in channels.items():
            for type_, words in channel.triggers.items():
                if type_ in ACTION_TYPES and words:
                    triggers.append((compiled(words), type_, slug))
        registry = Registry.build(parties.values(), channels.values())
        return cls(
            dict(channels),
            dict(parties),
            channel_patterns,
            party_patterns,
            triggers,
            registry,
            Names.build(registry),
        )

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
        for post in structural_mentions(text, spans, names, self.registry, named_at):
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
        by_end = sorted(found, key=lambda m: m.end)
        last: dict[ChannelKind, str] = {}
        position = 0
        for start, end, kind in sorted(generic):
            while position < len(by_end) and by_end[position].end <= start:
                last[self.channels[by_end[position].slug].kind] = by_end[position].slug
                position += 1
            if kind in last:
                found.append(Mention(start, end, last[kind], generic=True))
        return sorted(found, key=lambda m: m.start)

    def party_mentions(self, text: str, start: int, end: int) -> list[tuple[int, str]]:
        """The parties named in text[start:end]: by their declared names and aliases, and by
        the registry's words (short names, demonyms, capitals, metonyms)."""
        chunk = text[start:end]
        found = {
            (start + m.start(), slug)
            for pattern, slug in self.party_patterns
            for m in pattern.finditer(chunk)
        }
        found.update((n.start, n.party) for n in self.names.find(text, start, end) if n.party)
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


def _short_names(channel: Channel, channels: Mapping[str, Channel]) -> list[str]:
    """A post's declared name without its place ("British Council in Russia" -> "British
    Council"), where no other declared channel shortens to the same words: reports name a
    post so once the place is clear."""
    if channel.kind not in POST_KINDS:
        return []
    short = _LOCATED.sub("", channel.name)
    if short == channel.name or len(short) < 6 or short.lower().split()[-1] in _PLAIN_NOUNS:
        return []
    same = [c for c in channels.values() if _LOCATED.sub("", c.name) == short]
    return [short] if len(same) == 1 else []


_PLAIN_NOUNS = frozenset(
    ["embassy", "consulate", "mission", "office", "commission", "general", "institute"]
)
"""Last words of a shortened name that leave only a post noun ("Embassy of Russia"): the
structure reads those, a shortened name would claim every such post."""

# ----------------------------------------------------------------------------- filters

_CLAUSE = re.compile(r"[,;:“”\"()—–]|\s-\s|\b(?:and|but|while|whereas|as well as)\b")
_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are|had)\s+(?:\w+ly\s+)?$", re.IGNORECASE)


# ----------------------------------------------------------------------------- extraction


@dataclass(frozen=True)
class _Hit:
    type: str
    channel: str
    start: int
    end: int
    carried: bool


def _pair(
    lexicon: Lexicon,
    text: str,
    type_: str,
    start: int,
    end: int,
    mentions: Sequence[Mention],
    limit: str | None,
) -> tuple[Mention, float] | None:
    """The channel mention a trigger refers to: the nearest fitting mention, penalised for
    crossing a clause boundary; a passive trigger ("was revoked") prefers one before it.
    `mentions` need only be those within `MAX_TRIGGER_DISTANCE` (see `_Index.near`)."""
    action = ACTION_TYPES[type_]
    passive = bool(_PASSIVE.search(text[max(0, start - 30) : start]))
    best: tuple[float, Mention] | None = None
    for mention in mentions:
        channel = lexicon.channels[mention.slug]
        if channel.kind not in action.kinds or (limit and mention.slug != limit):
            continue
        if mention.staff and type_ not in STAFF_ACTIONS:
            continue
        if mention.end <= start:
            between, before = text[mention.end : start], True
        elif mention.start >= end:
            between, before = text[end : mention.start], False
        else:
            between, before = "", True
        distance = float(len(between))
        if distance > MAX_TRIGGER_DISTANCE:
            continue
        if _CLAUSE.search(between):
            distance += 60
        if passive and not before:
            distance += 50
        if mention.generic:
            distance += 5
        if best is None or distance < best[0]:
            best = (distance, mention)
    return (best[1], best[0]) if best else None


@dataclass
class _Index:
    """Where things are in one article, built once, so that each trigger is related to the
    mentions, paragraphs and statements around it by bisection rather than by a walk over
    everything before it: one alias or trigger repeated a hundred thousand times must cost a
    hundred thousand steps, not their square."""

    sents: list[Sentence]
    mentions: list[Mention]
    starts: list[int] = field(init=False)
    reach: list[int] = field(init=False)
    """The furthest end of the mentions up to each one (non-decreasing, for bisection)."""
    paragraph_first: list[int] = field(init=False)
    """The offset of the first sentence of each sentence's paragraph."""
    by_kind: dict[ChannelKind, tuple[list[int], list[Mention]]] = field(init=False)

    def __post_init__(self) -> None:
        self.starts = [m.start for m in self.mentions]
        self.reach, furthest = [], -1
        for m in self.mentions:
            furthest = max(furthest, m.end)
            self.reach.append(furthest)
        self.paragraph_first, first = [], 0
        for i, sentence in enumerate(self.sents):
            if i == 0 or self.sents[i - 1].paragraph != sentence.paragraph:
                first = sentence.start
            self.paragraph_first.append(first)
        self.by_kind = {}

    def kind_index(self, kind: ChannelKind, lexicon: Lexicon) -> tuple[list[int], list[Mention]]:
        if kind not in self.by_kind:
            of_kind = [m for m in self.mentions if lexicon.channels[m.slug].kind == kind]
            self.by_kind[kind] = ([m.start for m in of_kind], of_kind)
        return self.by_kind[kind]

    def in_sentence(self, sentence: Sentence) -> tuple[int, int]:
        """The range of mentions (indexes) that start inside the sentence."""
        return bisect_left(self.starts, sentence.start), bisect_left(self.starts, sentence.end)

    def near(self, start: int, end: int, within: tuple[int, int]) -> list[Mention]:
        """The mentions of the range `within` that may lie within `MAX_TRIGGER_DISTANCE` of
        text[start:end]."""
        lo = max(within[0], bisect_left(self.reach, start - MAX_TRIGGER_DISTANCE))
        hi = min(within[1], bisect_right(self.starts, end + MAX_TRIGGER_DISTANCE))
        return self.mentions[lo:hi]

    def inside_mention(self, position: int) -> bool:
        i = bisect_right(self.starts, position) - 1
        return i >= 0 and position < self.reach[i]


def _carried_channel(lexicon: Lexicon, type_: str, index: int, where: _Index) -> str | None:
    """For a sentence that names no channel ("No agreement was reached," the ministry said),
    the last fitting channel named earlier in the same paragraph."""
    action = ACTION_TYPES[type_]
    first, before = where.paragraph_first[index], where.sents[index].start
    best: Mention | None = None
    for kind in action.kinds:
        starts, of_kind = where.kind_index(kind, lexicon)
        i = bisect_left(starts, before) - 1
        if i >= 0 and starts[i] >= first and (best is None or starts[i] > best.start):
            best = of_kind[i]
    return best.slug if best else None


def _choose_type(hits: list[tuple[_Hit, float]], lexicon: Lexicon) -> _Hit:
    """Among types triggered by one word on one channel, the channel's natural reading."""

    def key(item: tuple[_Hit, float]) -> tuple[float, int, int]:
        hit, score = item
        action = ACTION_TYPES[hit.type]
        kind = lexicon.channels[hit.channel].kind
        home = action.home_kinds or action.kinds
        return (score, 0 if kind in home else 1, len(action.kinds))

    return min(hits, key=key)[0]


def _actor_target(
    lexicon: Lexicon,
    text: str,
    sentence: Sentence,
    type_: str,
    channel: Channel,
    trigger_start: int,
    where: _Index,
    fallback: str | None,
) -> tuple[str, str | None]:
    """The party named last before the trigger (outside channel names) acts; else the party
    the type implies on this channel (the host withdraws accreditations and caps staff), else
    the actor of the action reported just before in the same paragraph (a passive sentence)."""
    parties = [
        slug
        for position, slug in lexicon.party_mentions(text, sentence.start, trigger_start)
        if slug in channel.parties and not where.inside_mention(position)
    ]
    side = ACTION_TYPES[type_].actor_side
    if side and channel.sending_party and channel.receiving_party:
        actor = channel.receiving_party if side == "receiving" else channel.sending_party
    elif type_ in ("accreditation_withdrawn", "staff_cap_changed") and channel.host:
        actor = channel.host  # only the host accredits, and caps, a mission on its ground
    elif parties:
        actor = parties[-1]
    elif fallback in channel.parties:
        actor = fallback
    elif type_ in ("invitation_unanswered", "invitation_declined") and len(channel.parties) > 1:
        actor = channel.parties[1]
    else:
        actor = channel.parties[0]
    others = [p for p in channel.parties if p != actor]
    return actor, (others[0] if others else None)


def extract(article: Article, lexicon: Lexicon) -> list[Proposal]:
    """Every action the article reports on a channel the lexicon knows, merged per event."""
    text, published = article.text, article.published
    sents = sentences(text)
    where = _Index(sents, lexicon.channel_mentions(text, sents))
    proposals: list[Proposal] = []
    dates = ArticleDates.read(text, sents, published)

    for index, sentence in enumerate(sents):
        if _is_question(text, sentence):
            continue  # "Will Canada expel Indian diplomats?" asks; it reports nothing
        within = where.in_sentence(sentence)
        hits: dict[tuple[int, int], list[tuple[_Hit, float]]] = {}
        owner: dict[int, tuple[int, int]] = {}  # offset -> the group of hits covering it
        order: dict[tuple[int, int], int] = {}  # group -> when it was first formed
        others_listed: list[_Hit] = []
        for pattern, type_, limit in lexicon.triggers:
            for match in pattern.finditer(text, sentence.start, sentence.end):
                a, b = match.start(), match.end()
                trigger = match.group(0)
                if is_negated(text, a, trigger, sentence.start):
                    continue
                if within[0] < within[1]:
                    paired = _pair(lexicon, text, type_, a, b, where.near(a, b, within), limit)
                    if paired is None:
                        continue
                    hit = _Hit(type_, paired[0].slug, a, b, carried=False)
                    score = paired[1]
                    listed = [_Hit(type_, slug, a, b, False) for slug in paired[0].group]
                    others_listed.extend(h for h in listed if h.channel != hit.channel)
                else:
                    slug = _carried_channel(lexicon, type_, index, where)
                    if slug is None or (limit and slug != limit):
                        continue
                    hit, score = _Hit(type_, slug, a, b, carried=True), 200.0
                overlapping = {owner[i] for i in range(a, b) if i in owner}
                key = min(overlapping, key=order.__getitem__) if overlapping else (a, b)
                order.setdefault(key, len(order))
                hits.setdefault(key, []).append((hit, score))
                for i in range(a, b):
                    owner.setdefault(i, key)
        chosen: dict[tuple[str, str], _Hit] = {}
        for group in hits.values():
            hit = _choose_type(group, lexicon)
            chosen.setdefault((hit.type, hit.channel), hit)
        for hit in others_listed:  # the rest of a list the chosen trigger was paired with
            if any(c.type == hit.type and c.start == hit.start for c in chosen.values()):
                chosen.setdefault((hit.type, hit.channel), hit)
        for hit in chosen.values():
            proposals.extend(_propose(lexicon, article, where, index, hit, dates, proposals))
    try:
        return merge(proposals, MAX_PROPOSALS)
    except TooManyProposals:
        raise ArticleError(
            f"{printable(article.name)}: it reports more than {MAX_PROPOSALS} distinct actions "
            "on the ledger's channels, which is not one news report (a report proposes a few, "
            "a long review a few dozen); give the reports one file each"
        ) from None


def _is_question(text: str, sentence: Sentence) -> bool:
    """A sentence that ends with a question mark (a closing quote or bracket aside)."""
    return text[sentence.start : sentence.end].rstrip('"”’)] ').endswith(("?", "？"))


def _propose(
    lexicon: Lexicon,
    article: Article,
    where: _Index,
    index: int,
    hit: _Hit,
    dates: ArticleDates,
    earlier: list[Proposal],
) -> list[Proposal]:
    text = article.text
    sentence = where.sents[index]
    action = ACTION_TYPES[hit.type]
    channel = lexicon.channels[hit.channel]
    trigger = text[hit.start : hit.end]
    intent = is_intent(text, hit.start, trigger, sentence.start) or dates.future_in(index)
    dating = dates.date_action(
        index, hit.start, hit.end, speech_act=action.speech_act, intent=intent
    )
    if dating is None:
        return []  # a plan, offer or future act is not a past action; an invitation is typed
    confidence = 0.9 - (0.25 if hit.carried else 0.0) - (0.2 if intent else 0.0) - dating.penalty
    count = None
    caps_from: int | None = None
    caps_to: int | None = None
    if hit.type in ("accreditation_withdrawn", "staff_cap_changed"):
        # a number that is part of a date ("from 20 October to 10 November") counts nothing
        dated = date_spans(text, sentence.start, sentence.end)
    if hit.type == "accreditation_withdrawn":
        count = people_count(text, sentence.start, sentence.end, hit.start, dated)
    elif hit.type == "staff_cap_changed":
        caps = staff_caps(
            text[sentence.start : sentence.end],
            [(a - sentence.start, b - sentence.start) for a, b in dated],
        )
        caps_from, caps_to = caps.from_cap, caps.to_cap
    paragraph_start = where.paragraph_first[index]
    fallback = next(
        (p.actor for p in reversed(earlier[-20:]) if p.quote.start >= paragraph_start), None
    )
    actor, target = _actor_target(
        lexicon, text, sentence, hit.type, channel, hit.start, where, fallback
    )
    quote = Quote(text[sentence.start : sentence.end], sentence.start, sentence.end)
    return [
        Proposal(
            type=hit.type,
            channel=hit.channel,
            actor=actor,
            target=target,
            date=day,
            quote=quote,
            confidence=round(max(0.05, min(0.99, confidence)), 2),
            effective=dating.effective,
            count=count,
            from_cap=caps_from,
            to_cap=caps_to,
            date_assumed=dating.assumed,
            quotes=[quote],
        )
        for day in dating.dates
    ]


# ----------------------------------------------------------------------------- merging


def _numbers_agree(a: Proposal, b: Proposal) -> bool:
    return all(
        x is None or y is None or x == y
        for x, y in ((a.count, b.count), (a.from_cap, b.from_cap), (a.to_cap, b.to_cap))
    )


def _overlap(a: UncertainDate, b: UncertainDate) -> bool:
    return a.earliest <= b.latest and b.earliest <= a.latest


class TooManyProposals(ValueError):
    """More distinct actions than `MAX_PROPOSALS`."""


def merge(proposals: Sequence[Proposal], limit: int | None = None) -> list[Proposal]:
    """One proposal per reported action: sentences of one article that report the same action
    on the same channel (overlapping dates, or one of them undated, and numbers that agree)
    become one proposal with several quotes, dated by the most precise of them. Only
    proposals of the same type and channel are compared (a bucket each); past `limit`
    distinct actions, `TooManyProposals` is raised at once."""
    merged: list[Proposal] = []
    buckets: dict[tuple[str, str], list[tuple[Proposal, set[int]]]] = {}
    for proposal in proposals:
        bucket = buckets.setdefault((proposal.type, proposal.channel), [])
        for kept, quoted in bucket:
            if _numbers_agree(kept, proposal) and (
                proposal.date_assumed or kept.date_assumed or _overlap(kept.date, proposal.date)
            ):
                _absorb(kept, proposal, quoted)
                break
        else:
            if limit is not None and len(merged) >= limit:
                raise TooManyProposals(limit)
            fresh = replace(proposal, quotes=list(proposal.quotes))
            merged.append(fresh)
            bucket.append((fresh, {q.start for q in fresh.quotes}))
    return merged


def _width(day: UncertainDate) -> timedelta:
    return day.latest - day.earliest


def _absorb(kept: Proposal, other: Proposal, quoted: set[int]) -> None:
    """Fold `other` into `kept`; `quoted` holds the offsets of `kept`'s quotes."""
    if (kept.date_assumed and not other.date_assumed) or (
        kept.date_assumed == other.date_assumed and _width(other.date) < _width(kept.date)
    ):
        kept.date, kept.date_assumed = other.date, other.date_assumed
    kept.count = kept.count if kept.count is not None else other.count
    kept.from_cap = kept.from_cap if kept.from_cap is not None else other.from_cap
    kept.to_cap = kept.to_cap if kept.to_cap is not None else other.to_cap
    kept.effective = kept.effective or other.effective
    kept.confidence = round(min(0.99, max(kept.confidence, other.confidence) + 0.03), 2)
    if other.quote.start not in quoted:
        quoted.add(other.quote.start)
        kept.quotes.append(other.quote)


def proposal_action(proposal: Proposal, event_id: str, source_id: str, **extra: object) -> Action:
    """The proposal as a domain action (for rule checks and for the draft)."""
    record: dict[str, object] = {
        "id": event_id,
        "type": proposal.type,
        "channel": proposal.channel,
        "actor": proposal.actor,
        "target": proposal.target,
        "date": proposal.date.model_dump(mode="json", exclude_none=True),
        "citations": [{"source": source_id, "quote": q.text} for q in proposal.quotes],
        **extra,
    }
    if proposal.effective is not None:
        record["effective"] = proposal.effective.model_dump(mode="json", exclude_none=True)
    fields = ACTION_TYPES[proposal.type].model_fields
    for name in ("count", "from_cap", "to_cap"):
        if name in fields and getattr(proposal, name) is not None:
            record[name] = getattr(proposal, name)
    return ACTION_TYPES[proposal.type].model_validate(record)
