"""The extractor's name patterns (`mentions.NamePattern`): compiled for a text from only the
names whose plain words it holds, they find what compiling every name finds.

Kept apart from `test_extract.py`, which the fuzz tests import inside their own hypothesis
tests (a `@given` there would be a nested one).
"""

from __future__ import annotations

import re
from typing import Any

from chancery.extraction.mentions import NamePattern, phrase_pattern
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

_NAME_PIECES = st.sampled_from(
    [
        "talks",
        "Kiss",
        "kit",
        "s",
        "1",
        "-",
        "'",
        "’",
        " ",
        "*",
        "…",
        "...",
        "\u00e9",
        "\u00a0",
        "\u2014",
        "_",
        ".",
        "x",
        "\u0130",
        "\u212a",
    ]
)
_SAME_LETTER = {"k": "K\u212a", "s": "S\u017f", "i": "I\u0130\u0131", "t": "T", "a": "A"}
"""What a case-insensitive pattern reads as the same letter, outside ASCII too."""


@st.composite
def _names_and_text(draw: st.DrawFn) -> tuple[list[str], str]:
    """Names, and a text holding some of them as written in other cases and letters."""
    names = draw(st.lists(st.lists(_NAME_PIECES, min_size=1, max_size=5).map("".join), max_size=4))
    names = [n for n in names if any(c.isalpha() for c in n)]  # as declarations must have
    pieces = []
    for _ in range(draw(st.integers(0, 6))):
        if names and draw(st.booleans()):
            name = draw(st.sampled_from(names)).replace("*", draw(st.sampled_from(["", "s"])))
            name = "".join(
                draw(st.sampled_from([c, *_SAME_LETTER.get(c.lower(), "")])) for c in name
            )
            pieces.append(name.replace("…", draw(st.sampled_from([" ", " x y "]))))
        else:
            pieces.append(draw(_NAME_PIECES))
    return names, "".join(pieces)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(_names_and_text())
@example((["kit*"], "the Kits"))
@example((["Kiss"], "\u212ai\u017f\u017f"))
@example((["kit's talks"], "K\u0131t\u2019s-TALKS"))
@example((["Kiss … talks"], "kiss the three talks"))
def test_names_are_found_as_if_every_name_were_compiled(names_and_text: Any) -> None:
    """Leaving out the names whose words a text lacks changes nothing found in it, whatever
    the case, dashes, apostrophes, wildcards, gaps and letters that fold to ASCII."""
    names, text = names_and_text
    ordered = sorted({n for n in names if n.strip()}, key=len, reverse=True)
    assume(ordered)
    every = re.compile("|".join(phrase_pattern(n) for n in ordered), re.IGNORECASE)
    found = [m.span() for m in NamePattern(names).finditer(text)]
    assert found == [m.span() for m in every.finditer(text)]
