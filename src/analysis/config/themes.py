"""The themes file of the respondents' suggestions (``suggestions.themes_file`` in ``study.yaml``):
a YAML mapping theme -> keywords, read by :func:`load_themes` before a run starts.

Each answer is matched against the keywords after :func:`normalise`, the same normalisation
:mod:`analysis.data.suggestions` applies to the answers.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from analysis.config.files import read_yaml
from analysis.errors import PhanatError


def normalise(text: str) -> str:
    """NFC, trimmed, inner whitespace collapsed (Thai text from forms mixes spaces and NBSPs).
    Not NFKC: it splits SARA AM (ำ) into NIKHAHIT + SARA AA, which breaks Thai words.
    ``str.split`` splits at exactly the characters a regular expression's whitespace class
    matches (``str.isspace``): the same as collapsing whitespace runs with ``re.sub`` and
    stripping, at a third of the time (it runs once per answer, 100,000 times at scale)."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


def load_themes(path: str | Path) -> dict[str, list[str]]:
    """Read a themes file: YAML mapping theme -> list of keywords (Thai or English), in the
    file's order. Every problem is a :class:`PhanatError` naming the file and the theme."""
    path = Path(path)
    if not path.is_file():
        raise PhanatError("themes file not found", file=path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise PhanatError("themes file must map each theme to a list of keywords", file=path)
    themes = {}
    for theme, words in raw.items():
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise PhanatError(f"theme {str(theme)!r} needs a non-empty list of keywords", file=path)
        themes[normalise(theme)] = [normalise(w) for w in words]
    return themes
