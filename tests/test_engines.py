"""The site builds on more than one engine: ProperDocs (a drop-in fork of MkDocs 1.6) builds the
real site with the same plugin, and every file equals MkDocs' but for the engine's own name."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

# The only bytes allowed to differ: the engine names itself in every page's
# <meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.1"> (ProperDocs writes
# "mkdocs-ProperDocs 1.6.7, ..."). sitemap.xml.gz embeds its build time; sitemap.xml is compared.
ENGINE_NAME = re.compile(rb'<meta name="generator" content="mkdocs-(?:ProperDocs )?[0-9.]+, ')
SKIPPED = {"sitemap.xml.gz"}


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): ENGINE_NAME.sub(b'<meta name="generator" content="ENGINE, ', p.read_bytes())
        for p in site.rglob("*")
        if p.is_file() and p.name not in SKIPPED and not p.relative_to(site).parts[0].startswith("pagefind")  # search
    }


def test_properdocs_builds_the_real_site_as_mkdocs_does(real_project: Path, tmp_path: Path) -> None:
    other = tmp_path / "site-properdocs"
    env = {**os.environ, "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
    properdocs = Path(sys.executable).parent / "properdocs"
    done = subprocess.run([properdocs, "build", "--strict", "--quiet", "-d", other],
                          cwd=real_project, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    verified = subprocess.run([sys.executable, "-m", "generator", "verify", str(other)],
                              cwd=real_project, capture_output=True, text=True, check=False)
    assert verified.returncode == 0, verified.stderr  # the plugin ran on every page
    mkdocs, proper = _files(real_project / "site"), _files(other)
    assert sorted(proper) == sorted(mkdocs)
    assert len([p for p in mkdocs if p.startswith("papers/")]) > 100
    named = [p for p in mkdocs if p.endswith(".html") and b'content="ENGINE, ' in mkdocs[p]]
    assert len(named) > 100  # the normalisation above did apply
    assert [p for p in mkdocs if mkdocs[p] != proper[p]] == []
