"""Uncertain dates: every date in Chancery is an interval with the words it came from.

Reports say "in 2014", "at the beginning of 2020" or "18 months ago"; a single date would
invent a precision the source does not have (docs/design.md principle 3). EDTF (ISO 8601-2) is the
interchange form, parsed by the `edtf` library; the interval bounds default to its strict
bounds and may be narrowed or widened (within EDTF's fuzzy bounds) when the wording says more.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any, Self

from chancery.domain.days import calendar_bounds as _calendar_bounds
from chancery.domain.text import Text, is_import
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

_EDTF_CHARS = re.compile(r"^[0-9A-Za-z?~%./\-+\[\]{},:^]+\Z")
MAX_EDTF_CHARS = 100


def _struct_to_date(value: Any) -> date:
    return date(value.tm_year, value.tm_mon, value.tm_mday)


@lru_cache(maxsize=65536)
def parse_edtf_bounds(text: str) -> tuple[date, date, date, date]:
    """Return (strict earliest, strict latest, fuzzy earliest, fuzzy latest) of an EDTF string.

    Raises ValueError with the library's reason, so that a caller can name the field.
    """
    start, _, end = text.partition("/")
    plain = _calendar_bounds(start), _calendar_bounds(end) if end else None
    if plain[0] and (plain[1] or not end):
        lower, upper = plain[0][0], (plain[1] or plain[0])[1]
        if lower <= upper:
            return lower, upper, lower, upper
    import edtf  # its grammar takes a quarter of a second to build: only for non-calendar dates

    try:
        parsed = edtf.parse_edtf(text)
    except Exception as exc:  # the library raises its own exception types
        raise ValueError(f"'{text}' is not a valid EDTF date ({exc})") from None
    try:
        return (
            _struct_to_date(parsed.lower_strict()),
            _struct_to_date(parsed.upper_strict()),
            _struct_to_date(parsed.lower_fuzzy()),
            _struct_to_date(parsed.upper_fuzzy()),
        )
    except (AttributeError, TypeError, ValueError, OverflowError) as exc:
        raise ValueError(f"'{text}' is an EDTF form Chancery cannot bound ({exc})") from None


def import_edtf(text: str) -> str:
    """An EDTF string from an import file, in the form Chancery stores: surrounding blanks
    stripped ("2021-10-12\\n" is 2021-10-12), anything but EDTF's characters refused.

    An open or unknown end (`2021/..`, `../2021`, `2021/`, `/2021`) is refused: EDTF says the
    interval has no known bound on that side, and an event dated "from 2021 on" has no latest
    day Chancery could fold it at or call certain (the `edtf` library would invent one: the year
    2021 for `2021/`, 2011-12-31 for the start of `/2021`). A bound the sources allow (the
    article's date, say) must be written out: `2021/2021-10-21`.
    """
    text = text.strip()
    if len(text) > MAX_EDTF_CHARS or not _EDTF_CHARS.match(text):
        raise ValueError(
            f"{text[:MAX_EDTF_CHARS]!r} is not a valid EDTF date (EDTF has no spaces, line breaks "
            "or other characters than digits, X, -, /, ~, ?, %, .. and brackets)"
        )
    start, slash, end = text.partition("/")
    if ".." in text or (slash and not (start and end)):
        raise ValueError(
            f"'{text}' has an open or unknown end, which Chancery cannot bound: an event's date "
            "needs a latest and an earliest day; write the bound the sources allow (the "
            "article's date, say: '2021/2021-10-21')"
        )
    return text


class UncertainDate(BaseModel):
    """A date known to lie in [earliest, latest], with its EDTF form and original wording."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    edtf: str = Field(description="EDTF (ISO 8601-2) form, e.g. 2014, 2020-05~, 2020-01/2020-03")
    earliest: date = Field(description="First day the date can be; defaults from the EDTF form")
    latest: date = Field(description="Last day the date can be; defaults from the EDTF form")
    wording: Text | None = Field(default=None, description="The source's own words for the date")
    resolved_against: date | None = Field(
        default=None, description="The date a relative expression was resolved against"
    )
    resolution: Text | None = Field(
        default=None, description="How the wording was turned into this interval"
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_bounds(cls, data: Any, info: ValidationInfo) -> Any:
        """Accept a bare EDTF string, and default missing bounds from the EDTF form."""
        if isinstance(data, str | date | int) and not isinstance(data, bool):
            data = {"edtf": str(data)}  # an unquoted year in YAML arrives as an int
        if not isinstance(data, dict) or "edtf" not in data:
            return data
        text = data["edtf"]
        if isinstance(text, int) and not isinstance(text, bool):
            text = str(text)
        if not isinstance(text, str):
            raise ValueError("edtf must be a string such as '2021-10-06' or '2020-05~'")
        if is_import(info):
            text = import_edtf(text)
        lower, upper, _, _ = parse_edtf_bounds(text)
        data = {**data, "edtf": text}
        data.setdefault("earliest", lower)
        data.setdefault("latest", upper)
        return data

    @classmethod
    def from_edtf(
        cls, edtf: str, wording: str | None = None, resolution: str | None = None
    ) -> Self:
        """The date an EDTF form gives, its bounds read from that form: the constructor's
        signature asks for the bounds, which the validator fills only when they are absent."""
        return cls.model_validate({"edtf": edtf, "wording": wording, "resolution": resolution})

    @model_validator(mode="after")
    def _check_bounds(self) -> Self:
        if self.earliest > self.latest:
            raise ValueError(f"earliest {self.earliest} is after latest {self.latest}")
        _, _, fuzzy_lower, fuzzy_upper = parse_edtf_bounds(self.edtf)
        if self.earliest < fuzzy_lower or self.latest > fuzzy_upper:
            raise ValueError(
                f"interval [{self.earliest}, {self.latest}] lies outside what EDTF "
                f"'{self.edtf}' allows [{fuzzy_lower}, {fuzzy_upper}]"
            )
        if self.resolved_against is not None and self.resolution is None:
            raise ValueError("resolved_against needs a resolution saying how it was resolved")
        return self

    @property
    def is_exact(self) -> bool:
        return self.earliest == self.latest

    def overlaps(self, other: UncertainDate) -> bool:
        """Whether both intervals hold a common day: the two may name the same day."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def within(self, other: UncertainDate) -> bool:
        """Whether this interval lies inside `other` and is narrower: it says more."""
        inside = other.earliest <= self.earliest and self.latest <= other.latest
        return inside and (self.earliest, self.latest) != (other.earliest, other.latest)

    def certainty_on(self, day: date) -> str | None:
        """'certain' once the interval is over, 'possible' inside it, None before it."""
        if self.latest <= day:
            return "certain"
        if self.earliest <= day:
            return "possible"
        return None

    def __str__(self) -> str:
        return self.edtf
