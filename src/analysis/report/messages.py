"""The message catalogue: every word a reader sees, one plain YAML file per language.

``catalogue/th.yaml`` and ``catalogue/en.yaml`` hold the same keys (a test checks it); a
translator edits the right-hand sides only. A message is a Python format string whose fields
are filled by name: ``messages("th")("figures.radar.title", cycle="2566")``. Sections that are
lists or mappings (month names, level words) are read whole with :meth:`Messages.get`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).parent / "catalogue"
LANGUAGES = ("th", "en")


@dataclass(frozen=True)
class Messages:
    """One language's catalogue, looked up by dotted key."""

    language: str
    entries: Mapping[str, Any]

    def get(self, key: str) -> Any:
        """The entry at a dotted key (text, list or mapping); a missing key is an error that
        names the key and the file, so a half-translated catalogue fails at once."""
        node: Any = self.entries
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"{key!r} is not in {catalogue_file(self.language)}")
            node = node[part]
        return node

    def __call__(self, key: str, /, **values: Any) -> str:
        """The message at ``key`` with its ``{fields}`` filled from ``values``."""
        return str(self.get(key)).format_map(values)


def catalogue_file(language: str) -> Path:
    return CATALOGUE / f"{language}.yaml"


@cache
def messages(language: str) -> Messages:
    """The catalogue of ``language`` (``"th"`` or ``"en"``), read once per process."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    with catalogue_file(language).open(encoding="utf-8") as handle:
        return Messages(language, yaml.safe_load(handle) or {})


def keys(entries: Mapping[str, Any], prefix: str = "") -> set[str]:
    """Every dotted key of a catalogue down to its texts and lists."""
    found = set()
    for name, value in entries.items():
        key = f"{prefix}{name}"
        found |= keys(value, key + ".") if isinstance(value, Mapping) else {key}
    return found
