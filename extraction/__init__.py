"""From article to draft import file: `chancery extract`.

The extractor reads a plain-text report and proposes the actions it reports on tracked
channels, each with its verbatim quote and offsets, an uncertain date resolved against the
publication date, numbers, a confidence, and how it matches what the ledger already holds.
Which words name which channel or party, and which words signal which action, are data (the
declarations' `aliases` and `triggers`, and each action type's `triggers`), not code.

This package may use the domain and projections, never typer or rich: the CLI renders.
"""

from chancery.extraction.extract import Article, Lexicon, Proposal, extract, read_article
from chancery.extraction.match import Match, match_proposals

__all__ = [
    "Article",
    "Lexicon",
    "Match",
    "Proposal",
    "extract",
    "match_proposals",
    "read_article",
]
