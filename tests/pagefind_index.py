"""Read what Pagefind indexed: each page's fragment is gzip'd JSON after a b"pagefind_dcd" tag."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


def indexed_pages(site: Path) -> list[dict[str, Any]]:
    """Every page record in site/pagefind/: url, content (plain text) and meta (title...)."""
    records = []
    for fragment in sorted((site / "pagefind/fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(fragment.read_bytes())
        assert raw.startswith(SIGNATURE), fragment
        records.append(json.loads(raw[len(SIGNATURE):]))
    return records
