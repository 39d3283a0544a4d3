"""Expert ratings for the IOC (index of item-objective congruence): a CSV (UTF-8) or XLSX
file, first column ``item`` (codebook codes), one column per expert, each cell −1, 0 or +1
(``+1`` accepted). Each row is checked by :class:`RatingRow`; errors name the row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, ConfigDict, ValidationInfo, field_validator
from pydantic.dataclasses import dataclass

from analysis.config.codebook import Codebook
from analysis.config.files import validate_row
from analysis.config.values import ConfigProblem, Text
from analysis.errors import PhanatError

MODEL = ConfigDict(frozen=True, validate_default=True, extra="forbid")


def _rating(value: Any) -> int:
    text = "" if value is None or value != value else str(value).strip().replace("+", "")
    if text not in {"-1", "0", "1"}:
        raise ConfigProblem(f"rating must be -1, 0 or +1, not {text if text else 'an empty cell'}")
    return int(text)


Rating = Annotated[int, BeforeValidator(_rating)]


@dataclass(config=MODEL)
class RatingRow:
    """One item's ratings by expert (column name → −1, 0 or +1). With the codebook's item codes
    (``items``) and the items already read (``rated``) in the validation context, the item must
    be in the codebook and rated once."""

    item: Text
    ratings: dict[str, Rating]

    @field_validator("item")
    @classmethod
    def _known_once(cls, item: str, info: ValidationInfo) -> str:
        item = item.strip()
        context = info.context or {}
        if "items" in context and item not in context["items"]:
            raise ConfigProblem(f"item {item!r} is not in the codebook")
        if item in context.get("rated", ()):
            raise ConfigProblem(f"item {item!r} is rated twice")
        return item


def read_expert_ratings(path: str | Path, codebook: Codebook):
    """Read an expert-rating file; returns items × experts (a DataFrame of integers)."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise PhanatError("expert-rating file not found", file=path)
    try:
        if path.suffix.lower() in {".xlsx", ".xls"}:
            frame = pd.read_excel(path, dtype=str)
        else:
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", skipinitialspace=True)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise PhanatError(f"cannot read the expert-rating file ({type(exc).__name__})", file=path) from None
    if frame.empty or frame.shape[1] < 2:
        problem = "expert-rating file needs an 'item' column and at least one expert column"
        raise PhanatError(problem, file=path)
    if frame.columns[0].strip().lower() != "item":
        raise PhanatError("the first column must be 'item'", file=path, column=str(frame.columns[0]))
    experts = [str(c) for c in frame.columns[1:]]
    ratings: dict[str, list[int]] = {}
    for i, values in enumerate(frame.itertuples(index=False)):
        data = {"item": values[0], "ratings": dict(zip(experts, values[1:], strict=True))}
        row = validate_row(RatingRow, data, path, i + 2, items=set(codebook.item_codes), rated=ratings)
        ratings[row.item] = [row.ratings[e] for e in experts]
    return pd.DataFrame.from_dict(ratings, orient="index", columns=experts)
