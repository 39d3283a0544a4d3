"""The codebook: the questionnaire's answer scale, dimensions and items (``codebook.yaml``).

:class:`CodebookFile` mirrors the YAML file and holds every check; :func:`load_codebook`
returns the :class:`Codebook` the pipeline works with (the same content, with the scale's
bounds and points at the top and its file's path).
"""

from __future__ import annotations

from dataclasses import dataclass as plain_dataclass
from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, model_validator
from pydantic.dataclasses import dataclass

from analysis.config.files import read_yaml, validate
from analysis.config.values import (
    THAI_DIGITS,
    ConfigProblem,
    Flag,
    PlainText,
    Text,
    Texts,
    WholeNumber,
    empty_as,
)

MODEL = ConfigDict(frozen=True, validate_default=True, extra="forbid")  # a required key may come last


@dataclass(config=MODEL)
class ScalePoint:
    """One point of the answer scale: its value, Thai and English labels, and further answer
    labels read as this point (``also:``, e.g. an agreement label set)."""

    value: WholeNumber
    th: Text
    en: Text
    also: Texts = ()


@dataclass(config=MODEL)
class Item:
    """One questionnaire item: its code, its dimension's code, question texts and whether it is
    reverse keyed (rescored as scale min + max − answer)."""

    code: Text
    dimension: PlainText = ""
    text_th: Text = ""
    text_en: PlainText = ""
    reverse: Flag = False


@dataclass(config=MODEL)
class Dimension:
    """One dimension of the model: code, order in the report, names and its items."""

    code: Text
    order: WholeNumber | None = None
    name_th: Text = ""
    name_en: Text = ""
    items: Annotated[tuple[Item, ...], empty_as(())] = ()

    @model_validator(mode="after")
    def _items_know_their_dimension(self) -> Dimension:
        if not self.items:
            raise ConfigProblem("missing required key {at}.items")
        items = tuple(Item(i.code, self.code, i.text_th, i.text_en, i.reverse) for i in self.items)
        object.__setattr__(self, "items", items)
        return self


@dataclass(config=MODEL)
class Scale:
    """The answer scale: lowest and highest value and a label for every point."""

    min: WholeNumber
    max: WholeNumber
    points: tuple[ScalePoint, ...]


@dataclass(config=MODEL)
class CodebookFile:
    """``codebook.yaml`` as written: instrument names, the scale and the dimensions with their
    items. Checks that every scale value has one point, that no label names two points or is
    the digit of another point, and that codes are unique."""

    scale: Scale
    dimensions: tuple[Dimension, ...]
    instrument_th: PlainText = ""
    instrument_en: PlainText = ""

    @model_validator(mode="after")
    def _check(self) -> CodebookFile:
        smin, smax = self.scale.min, self.scale.max
        if smin >= smax:
            raise ConfigProblem(f"scale.min ({smin}) must be below scale.max ({smax})")
        if sorted(p.value for p in self.scale.points) != list(range(smin, smax + 1)):
            raise ConfigProblem(f"scale.points must label every value from {smin} to {smax} exactly once")
        check_scale_labels(self.scale.points)
        seen: set[str] = set()
        for item in (i for d in self.dimensions for i in d.items):
            if item.code in seen:
                raise ConfigProblem(f"item code '{item.code}' appears twice")
            seen.add(item.code)
        if len({d.code for d in self.dimensions}) != len(self.dimensions):
            raise ConfigProblem("dimension codes must be unique")
        return self

    def codebook(self, path: Path) -> Codebook:
        """The pipeline's view: points highest first, dimensions in their order (a dimension
        without ``order`` takes its place in the file)."""
        dims = [
            d if d.order is not None else Dimension(d.code, i + 1, d.name_th, d.name_en, d.items)
            for i, d in enumerate(self.dimensions)
        ]
        return Codebook(
            path=path,
            instrument_th=self.instrument_th,
            instrument_en=self.instrument_en,
            scale_min=self.scale.min,
            scale_max=self.scale.max,
            points=tuple(sorted(self.scale.points, key=lambda p: -p.value)),
            dimensions=tuple(sorted(dims, key=lambda d: d.order)),
        )


@plain_dataclass(frozen=True)
class Codebook:
    """A loaded codebook (built by :meth:`CodebookFile.codebook`): the scale's bounds and
    points (highest first) and the dimensions in report order."""

    path: Path
    instrument_th: str
    instrument_en: str
    scale_min: int
    scale_max: int
    points: tuple[ScalePoint, ...]
    dimensions: tuple[Dimension, ...]

    @property
    def items(self) -> list[Item]:
        return [item for dim in self.dimensions for item in dim.items]

    @property
    def item_codes(self) -> list[str]:
        return [item.code for item in self.items]

    def dimension_items(self, code: str) -> list[str]:
        return [i.code for d in self.dimensions if d.code == code for i in d.items]

    def dimension(self, code: str) -> Dimension:
        for dim in self.dimensions:
            if dim.code == code:
                return dim
        raise KeyError(code)

    @property
    def scale_values(self) -> list[int]:
        """The scale points from lowest to highest (1..5 for a 5-point scale)."""
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def reverse_items(self) -> list[str]:
        return [item.code for item in self.items if item.reverse]


def check_scale_labels(points: tuple[ScalePoint, ...]) -> None:
    """Every label (Thai, English, ``also``) names one point only, compared as answers are read
    (:func:`analysis.config.labels.label_key`), and no label is the digit of another point: either
    would silently rescore answers."""
    from analysis.config.labels import label_key

    owner: dict[str, int] = {}
    for p in points:
        for label in dict.fromkeys(label_key(x) for x in (p.th, p.en, *p.also) if str(x).strip()):
            digits = label.translate(THAI_DIGITS)
            if digits.isdigit() and int(digits) != p.value:
                raise ConfigProblem(
                    f"scale label {label!r} of point {p.value} is the digit of point {int(digits)}: "
                    "an answer of that digit would be read as the wrong point"
                )
            if label in owner and owner[label] != p.value:
                raise ConfigProblem(
                    f"scale label {label!r} names both point {owner[label]} and point {p.value}: "
                    "every label must name one point (check th, en and also)"
                )
            owner[label] = p.value


def load_codebook(path: str | Path) -> Codebook:
    """Load and check a codebook YAML file (scale, dimensions, items)."""
    path = Path(path)
    return validate(CodebookFile, read_yaml(path), path).codebook(path)
