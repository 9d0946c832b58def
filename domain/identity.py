"""Content identity: equal content, equal digest. The aggregates compare entries by it and
storage records it, so it sits below both."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def content_digest(data: dict[str, Any]) -> str:
    """Content identity of a record as JSON: equal content, equal digest, whatever key order."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
