"""MkDocs hooks for curator controls (see mkdocs.yml): hidden pages and redirects of renamed pages.

- A page whose front matter says `hidden: true` is removed from the build before MkDocs reads
  it: no HTML page, no search entry, no sitemap line. The generator leaves it out of every
  listing, so no link points to it.
- `.generator/redirects.json` (old page -> new page, written by the generator when a curator
  changes a paper's `slug:`) is handed to mkdocs-redirects, so mkdocs.yml stays static and
  never receives digest text.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    redirects = Path(config.config_file_path).parent / ".generator" / "redirects.json"
    if redirects.exists() and "redirects" in config.plugins:
        mapping = json.loads(redirects.read_text(encoding="utf-8"))
        plugin = config.plugins["redirects"]
        plugin.config["redirect_maps"] = {**mapping, **(plugin.config.get("redirect_maps") or {})}
    return config


def is_hidden(text: str) -> bool:
    """True if the page's front matter sets `hidden: true` (parsed only when it mentions it)."""
    if not text.startswith("---\n"):
        return False
    end = text.find("\n---", 3)
    front = text[4:end] if end > 0 else ""
    if "hidden" not in front:
        return False
    meta = yaml.load(front, Loader=_Loader)
    return isinstance(meta, dict) and meta.get("hidden") is True


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in list(files.documentation_pages()):
        try:
            hidden = is_hidden(file.content_string)
        except yaml.YAMLError as error:
            raise PluginError(f"docs/{file.src_uri}: the front matter is not valid YAML ({error})") from None
        if hidden:
            files.remove(file)
    return files
