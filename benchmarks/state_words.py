"""Print the words `domain/registry.py` gives every UN member and observer state, one line a
state (code, name, demonyms, capital, metonyms), tab-separated: the table `state_words.tsv`
next to this script is its output, kept so a library upgrade's changes show in a diff.

    python benchmarks/state_words.py > benchmarks/state_words.tsv
"""

from __future__ import annotations

from chancery.domain import countries
from chancery.domain.parties import Party
from chancery.domain.registry import profile_of


def main() -> None:
    print("code\tname\tdemonyms\tcapital\tmetonyms")
    for code in sorted(countries.UN_MEMBERS | countries.UN_OBSERVERS):
        profile = profile_of(Party.model_validate({"code": code}))
        cells = (
            code,
            profile.name,
            "; ".join(profile.demonyms),
            profile.capital or "",
            "; ".join(profile.metonyms),
        )
        print("\t".join(cells))


if __name__ == "__main__":
    main()
