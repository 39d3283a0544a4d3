"""Reading a configuration file into its model, with one-line errors.

:func:`read_yaml` reads a YAML mapping (UTF-8, alias bombs refused); :func:`validate` checks it
against a model of :mod:`analysis.config` and turns the first problem pydantic finds into a
:class:`~analysis.errors.PhanatError` naming the file, the key path (``scale.points[0].value``),
the value given and what was expected. :func:`validate_row` does the same for one row of a
CSV file, naming the row and the column instead of a key path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import TypeAdapter, ValidationError

from analysis.errors import PhanatError

T = TypeVar("T")


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping from ``path`` (UTF-8), with one-line errors."""
    path = Path(path)
    if not path.is_file():
        raise PhanatError("file not found", file=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PhanatError(f"not UTF-8 text (byte {exc.start})", file=path) from None
    try:
        data = _load_yaml_limited(text, path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PhanatError(f"does not parse as YAML: {line}{problem}", file=path) from None
    if not isinstance(data, dict):
        raise PhanatError("expected a YAML mapping (key: value) at the top level", file=path)
    return data


class _Loader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that leaves a date it cannot build (``2563-13-30``) as text, so the
    model names the key and the value instead of a traceback."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)

MAX_YAML_VALUES = 200_000  # a study's largest file (the codebook) holds a few thousand


def _load_yaml_limited(text: str, path: Path) -> Any:
    """``yaml.safe_load`` that first measures the document as its aliases expand it: nine
    aliases of nine aliases ("billion laughs", or the same with ``<<:`` merge keys) parse into
    a few shared nodes, but building or printing them runs out of memory. Each node's size is
    counted once (linear time); more than :data:`MAX_YAML_VALUES` values, or an alias inside
    itself, is an error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_expanded_size(node, path)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_expanded_size(root: yaml.Node, path: Path, limit: int = MAX_YAML_VALUES) -> None:
    sizes: dict[int, int] = {}
    busy: set[int] = set()

    def size(node: yaml.Node) -> int:
        if isinstance(node, yaml.ScalarNode):
            return 1
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in busy:
            raise PhanatError("a YAML alias refers to the value that contains it", file=path)
        busy.add(key)
        children = (
            [x for pair in node.value for x in pair] if isinstance(node, yaml.MappingNode) else node.value
        )
        total = 1 + sum(size(child) for child in children)
        busy.discard(key)
        sizes[key] = total
        if total > limit:
            raise PhanatError(
                f"YAML aliases expand to more than {limit:,} values (an alias bomb?): write the "
                "values out instead of repeating anchors",
                file=path,
            )
        return total

    size(root)


# --------------------------------------------------------------------------- models
def key_path(loc: tuple) -> str:
    """``('dimensions', 1, 'name_th')`` as ``dimensions[1].name_th``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


UNKNOWN_KEY = "{at} is not a key this file knows (a typo, or a key under the wrong section?)"
EXPECTED = {
    "missing": "missing required key {at}",
    "bool_type": "{at} must be true or false",
    "bool_parsing": "{at} must be true or false",
    "list_type": "{at} must be a list",
    "tuple_type": "{at} must be a list",
    "dict_type": "{at} must be a mapping (key: value)",
    "dataclass_type": "{at} must be a mapping (key: value)",
    "model_type": "{at} must be a mapping (key: value)",
    "literal_error": "{at} must be {expected}",
    "string_type": "{at} must be text",
    "extra_forbidden": UNKNOWN_KEY,
    "unexpected_keyword_argument": UNKNOWN_KEY,
    "greater_than_equal": "{at} must be at least {ge}",
    "less_than_equal": "{at} must be at most {le}",
}
SHOWN = ("literal_error", "string_type", "greater_than_equal", "less_than_equal", "bool_type", "bool_parsing")


def problem_text(error: dict, where: str = "", *, prefix: bool = True) -> str:
    """One pydantic error as a sentence: ``where`` (the key path) in place of ``{at}``, or in
    front when the message has no ``{at}`` and ``prefix``, and the value given where it helps."""
    if error["type"] == "value_error":
        text = str(error["ctx"]["error"])
    elif error["type"] in EXPECTED:
        text = EXPECTED[error["type"]].format(at="{at}", **(error.get("ctx") or {}))
        if error["type"] in SHOWN:
            text += f", not {error['input']!r}"
    else:
        text = f"{{at}} {error['msg'][:1].lower()}{error['msg'][1:]}, not {error['input']!r}"
    if "{at}" in text:
        return text.replace("{at}", where).strip()
    return f"{where}: {text}" if where and prefix else text


def _one_line(errors: list[dict], first: str) -> str:
    more = len(errors) - 1
    return first + (f" (and {more} more problem{'s' * (more > 1)} in this file)" if more else "")


def validate(model: type[T], data: Any, path: Path, **context: Any) -> T:
    """``data`` (a parsed YAML mapping) as ``model``; the first problem is a one-line error."""
    try:
        return TypeAdapter(model).validate_python(data, context=context)
    except ValidationError as exc:
        errors = exc.errors()
        where = key_path(errors[0]["loc"])
        raise PhanatError(
            _one_line(errors, problem_text(errors[0], f"'{where}'" if where else "")), file=path
        ) from None


def validate_row(model: type[T], data: dict, path: Path, row: int, **context: Any) -> T:
    """One row of a CSV file as ``model``; an error names the file, the row and the column."""
    try:
        return TypeAdapter(model).validate_python(data, context=context)
    except ValidationError as exc:
        error = exc.errors()[0]
        names = [part for part in error["loc"] if isinstance(part, str)]
        column = names[-1] if names else None
        raise PhanatError(
            problem_text(error, column or "", prefix=False), file=path, row=row, column=column
        ) from None
