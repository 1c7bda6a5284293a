"""arXiv identifiers: the one spelling the store keeps (no version, no prefix, no URL)."""

from __future__ import annotations

import re

# New style (0704.0001, 2510.09842) or old style (hep-th/9901001, math.GT/0309136), then an
# optional version. The store keeps the identifier without it: a record names the paper.
_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_PREFIXES = ("https://arxiv.org/abs/", "http://arxiv.org/abs/", "arxiv:")


DEFAULT_URL = "http://export.arxiv.org/api/query"  # the arXiv API
DEFAULT_INTERVAL = 3.0  # seconds between requests, arXiv's terms of use


def arxiv_id(text: str) -> str | None:
    """`2510.09842` from `2510.09842`, `2510.09842v3`, `arXiv:2510.09842` or an abs URL;
    None when the text is not an arXiv identifier."""
    text = text.strip()
    for prefix in _PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix):]
            break
    match = _ID.fullmatch(text)
    if match is None:
        return None
    identifier = match.group(1)
    if "/" not in identifier and (len(identifier) == 10) != (identifier[:4] >= "1501"):
        return None  # 4-digit numbers until 2014, 5 since 2015: 2510.1 is a truncated 2510.10000
    return identifier


def abs_url(identifier: str) -> str:
    """The paper's abstract page."""
    return f"https://arxiv.org/abs/{identifier}"


def pdf_url(identifier: str) -> str:
    """The paper's PDF, newest version."""
    return f"https://arxiv.org/pdf/{identifier}"
