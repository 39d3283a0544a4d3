"""The themes file of the respondents' suggestions (``suggestions.themes_file`` in ``study.yaml``),
read by :func:`load_themes` before a run starts. Each theme is named in Thai (the key) and lists
its keywords; ``name_en`` names it in the English edition (as ``name_th``/``name_en`` do in the
codebook)::

    บริการ:
      name_en: Service
      keywords: [บริการ, เจ้าหน้าที่]
    ทุนการศึกษา: [ทุน]          # short form: keywords only, no English name

A theme without ``name_en`` is printed in the English edition as the catalogue's
``suggestions.no_name_en`` placeholder, which shows the Thai name and says to add one.

Each answer is matched against the keywords after :func:`normalise`, the same normalisation
:mod:`analysis.data.suggestions` applies to the answers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
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


THEME_KEYS = ("name_en", "keywords")


@dataclass(frozen=True)
class Theme:
    """One theme: its Thai name (the file's key), its English name ("" when the file gives
    none) and its keywords, normalised."""

    name_th: str
    name_en: str
    keywords: tuple[str, ...]


def load_themes(path: str | Path) -> dict[str, Theme]:
    """Read a themes file (module docstring): Thai name -> :class:`Theme`, in the file's order.
    Every problem is a one-line :class:`PhanatError` naming the file and the theme."""
    path = Path(path)
    if not path.is_file():
        raise PhanatError("themes file not found", file=path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise PhanatError("themes file must map each theme to a list of keywords", file=path)
    themes = {}
    for theme, spec in raw.items():
        name = normalise(theme)
        if isinstance(spec, dict):
            unknown = [str(k) for k in spec if k not in THEME_KEYS]
            if unknown:
                raise PhanatError(
                    f"theme {str(theme)!r} has unknown key(s) {', '.join(unknown)} "
                    f"(a theme has {' and '.join(THEME_KEYS)})",
                    file=path,
                )
            name_en = spec.get("name_en", "")
            if not isinstance(name_en, str):
                raise PhanatError(f"theme {str(theme)!r}: name_en must be text", file=path)
            words = spec.get("keywords")
        else:
            name_en, words = "", spec
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise PhanatError(f"theme {str(theme)!r} needs a non-empty list of keywords", file=path)
        themes[name] = Theme(name, normalise(name_en), tuple(normalise(w) for w in words))
    return themes
