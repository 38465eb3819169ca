"""MkDocs hook used by bench.py: write each page's final Markdown and the nav.

It runs last (after mkdocs-macros and our plugin), so what it writes is what
Python-Markdown receives. bench.py then builds those files with plain MkDocs
Material (no plugin but search): the engine's floor for the same pages.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page

SORTIE = Path(os.environ["BENCH_CAPTURE"])


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    dest = SORTIE / "docs" / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    entete = ""
    if page.meta:
        entete = "---\n" + yaml.safe_dump(page.meta, allow_unicode=True) + "---\n\n"
    # Our blocks of HTML, written inline as a person writing static pages would.
    blocs = config.plugins["referentiel"].blocs
    dest.write_text(entete + blocs.expandre(markdown), encoding="utf-8")
    return markdown


def _item(item):
    if isinstance(item, Section):
        return {item.title: [_item(c) for c in item.children]}
    if isinstance(item, Page):
        return {item.title: item.file.src_uri} if item.title else item.file.src_uri
    if isinstance(item, Link):
        return {item.title: item.url}
    raise TypeError(item)


@event_priority(-100)
def on_nav(nav, config, files):
    SORTIE.mkdir(parents=True, exist_ok=True)
    (SORTIE / "nav.json").write_text(json.dumps([_item(i) for i in nav.items], ensure_ascii=False),
                                     encoding="utf-8")
    return nav
