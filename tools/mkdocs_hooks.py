"""MkDocs hooks of the documentation site (mkdocs.yml names this file).

``on_config`` drops navigation entries whose page does not exist (yet): the navigation
can name pages that other branches are writing, and the strict build stays green until
they land.  Everything else about the site is plain MkDocs configuration.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.ignite_wire")


def _existing(nav: list[Any], docs: Path) -> list[Any]:
    kept: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            (title, target), *_ = item.items()
            if isinstance(target, list):
                children = _existing(target, docs)
                if children:
                    kept.append({title: children})
                continue
            if isinstance(target, str) and target.endswith(".md") and not (docs / target).is_file():
                log.info("navigation: %s (%s) is not written yet; left out", title, target)
                continue
        kept.append(item)
    return kept


def on_config(config: Any) -> Any:
    """Keep only the navigation entries whose pages exist."""
    config["nav"] = _existing(config["nav"], Path(config["docs_dir"]))
    return config
