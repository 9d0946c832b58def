"""Shared pieces of the fuzz tests (tests/test_fuzz_*.py): the hypothesis profiles, hostile
text, and the properties every refused command must hold.

`CHANCERY_FUZZ=long pytest tests/test_fuzz_*.py` runs many more examples than CI does.
"""

from __future__ import annotations

import os
import re
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = {"ci": 1, "long": 40}
"""Examples per fuzz test relative to its CI count (`settings(max_examples=n * SCALE)`)."""

PROFILE = os.environ.get("CHANCERY_FUZZ", "ci")
if PROFILE not in EXAMPLES:
    raise RuntimeError(f"CHANCERY_FUZZ must be one of {', '.join(EXAMPLES)}, not {PROFILE!r}")
SCALE = EXAMPLES[PROFILE]

settings.register_profile(
    "chancery-fuzz",
    deadline=None,  # time is bounded per example by the tests' own limits, not hypothesis'
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=PROFILE == "ci",  # CI runs the same examples every time: no flaky failures
    print_blob=True,
)
FUZZ = settings.get_profile("chancery-fuzz")


def examples(n: int) -> settings:
    return settings(FUZZ, max_examples=n * SCALE)


HOSTILE_PIECES = [
    "\x1b[2J",  # clear screen
    "\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x1b[31m",
    "\x9b31m",  # C1 CSI
    "\x00",
    "\x07",
    "\r",
    "[/]",
    "[link=https://evil.example]x[/link]",
    "[bold red]",
    "\\[",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u200b",
    "\ufeff",
    "\u00a0",
    "\ud800",
    "\udfff",
    "%s%n",
    "{0}",
    "'; DROP TABLE events; --",
    "../../etc/passwd",
    "*alias",
    "&anchor",
    "!!python/object/apply:os.system ['echo hacked']",
    "<<",
    "? ",
    "- ",
    ": ",
    "#",
    "\n---\n",
    "~",
    "null",
    "2021/..",
]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40),
    st.lists(st.sampled_from([*HOSTILE_PIECES, "a", "quote", " "]), max_size=8).map("".join),
    st.integers(min_value=0, max_value=3).map(lambda k: "x" * (10 ** (k + 2))),  # up to 100 000
)
"""Strings an attacker or a careless paste might put in any text field."""


UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What no message may print raw: C0 and C1 controls (escape sequences), bidi controls, and
lone surrogates."""


def check_refusal_or_success(result: Any, shown: str) -> None:
    """Exit 0 or 1; a refusal is one paragraph on stderr, never a traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\nraised {result.exception!r}"
    )
    assert result.exit_code in (0, 1), f"{shown}\nexit {result.exit_code}\n{result.output}"
    output = result.stdout + result.stderr
    assert "Traceback" not in output, f"{shown}\n{output}"
    if result.exit_code == 1:
        stderr = result.stderr.strip()
        assert stderr, f"{shown}\n(nothing on stderr)"
        assert "\n\n" not in stderr, f"{shown}\n(more than one paragraph)\n{stderr}"
