"""Things people take away: flat exports, the timeline chart, the offline HTML report."""
