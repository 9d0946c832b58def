"""Commented templates of each action type (`chancery new TYPE`).

Field names such as `from_cap`, `to_cap` or `count` otherwise appear only in the 70 KB JSON
Schema; a template shows every field of one type with its description, ready to fill in.
"""

from __future__ import annotations

import json
from typing import Any

from chancery.domain.actions import ACTION_TYPES
from chancery.domain.errors import ArgumentError, did_you_mean

_PLACEHOLDERS: dict[str, Any] = {
    "id": "CHANGE-ME",
    "channel": "CHANGE-ME",
    "actor": "CHANGE-ME",
    "invitation": "CHANGE-ME",
}
_NESTED = {
    "date": [
        ('edtf: "YYYY-MM-DD"', "EDTF: 2021-10-06, 2014, 2020-05~, 2020-01/2020-03"),
        ("wording: null", "the source's own words for the date"),
        ("resolved_against: null", "the article's date, if the wording is relative"),
        ("resolution: null", "how the wording became this date (needed with resolved_against)"),
    ],
    "citations": [
        ("- source: CHANGE-ME", "a source id declared under `sources`"),
        ('  quote: "..."', "the sentence, verbatim"),
    ],
}


def _comment(text: str | None) -> str:
    return f"  # {' '.join(text.split())}" if text else ""


def action_template(type_name: str) -> str:
    """A commented import file recording one event of `type_name`, every field present."""
    model = ACTION_TYPES.get(type_name)
    if model is None:
        raise ArgumentError(
            f"unknown action type '{type_name}'{did_you_mean(type_name, ACTION_TYPES)}; "
            f"types: {', '.join(sorted(ACTION_TYPES))}"
        )
    codes = model.codes
    coded = ", ".join(
        part
        for part in (
            f"PLOVER {codes.plover}" + (f"/{codes.plover_mode}" if codes.plover_mode else "")
            if codes.plover
            else "",
            f"CAMEO {codes.cameo} {codes.cameo_label}" if codes.cameo else "",
        )
        if part
    )
    lines = [
        f"# {type_name}: {model.summary}" + (f" ({coded})" if coded else ""),
        f"# Channel kinds it fits: {', '.join(sorted(model.kinds))}.",
        "# Fill in the CHANGE-ME values, delete optional fields you do not need, then",
        "# `chancery import FILE`. Declare a new source under `sources` first.",
        "chancery: 1",
        "events:",
    ]
    first = True
    for name, field in model.model_fields.items():
        prefix = "  - " if first else "    "
        first = False
        required = field.is_required()
        note = ("required: " if required else "optional: ") + (field.description or name)
        if name == "type":
            lines.append(f"{prefix}type: {type_name}")
        elif name in _NESTED:
            lines.append(f"{prefix}{name}:{_comment(note)}")
            lines.extend(f"      {text}{_comment(help_)}" for text, help_ in _NESTED[name])
        elif name in _PLACEHOLDERS:
            lines.append(f"{prefix}{name}: {_PLACEHOLDERS[name]}{_comment(note)}")
        else:
            default = None if required else field.get_default(call_default_factory=True)
            lines.append(f"{prefix}{name}: {json.dumps(default)}{_comment(note)}")
    return "\n".join(lines) + "\n"
