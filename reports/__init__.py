"""Things people take away: flat exports, the timeline chart, the offline HTML report."""

EXPORT_FORMATS = ("csv", "jsonl", "plover", "timelinejs", "yaml")
"""The export formats, named here so that the command line can list them without importing
the exporters (`export.FORMATS` implements exactly these)."""
