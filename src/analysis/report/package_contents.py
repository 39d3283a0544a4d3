"""What a committee finds in the submission package besides the write-up: tables with Thai
headers and sheet names, and a Thai read-me (``อ่านก่อน.txt``); the questionnaire is
:mod:`analysis.report.questionnaire`.

Words only (the report layer): the numbers come from the run folder as they are.
"""

from __future__ import annotations

import ast
import datetime as dt
import re

import pandas as pd

from analysis.report.messages import messages

README_FILE = "report/writeup.pdf"  # where the read-me tells a committee to start


def table_headers(language: str = "th", stem: str = "") -> dict[str, str]:
    """Column name → header for the run's tables in a package (catalogue ``package.columns``),
    with the headers of table ``stem`` where its column means something of its own
    (``package.table_columns``: the mixed model's responses, respondents and repeated
    respondents; Feldt's interval of alpha)."""
    m = messages(language)
    return dict(m.get("package.columns")) | dict(m.get("package.table_columns").get(stem) or {})


def value_words(language: str = "th") -> dict[str, dict[str, str]]:
    """Column name → {code: words} for the columns whose cells hold codes (``reason``:
    ``lowest_dimension`` → "ค่าเฉลี่ยต่ำที่สุดเมื่อเทียบกับด้านอื่น"): the catalogue sections
    ``package.value_words`` names for each column, merged in order (the write-up's own words
    where it has them, ``package.values`` otherwise); messages with ``{fields}`` are left out."""
    m = messages(language)
    words: dict[str, dict[str, str]] = {}
    for column, sections in m.get("package.value_words").items():
        merged: dict[str, str] = {}
        for section in sections:
            merged |= {str(k): str(v) for k, v in m.get(section).items() if "{" not in str(v)}
        words[column] = merged
    return words


def code_names(codebook, meta: dict, language: str = "th") -> dict[str, str]:
    """The names of a run's codes of dimensions (``ด้านการอำนวยความสะดวก``), the whole
    instrument (``overall``: ``โดยภาพรวม``), groups and cycles (``วงรอบที่ 3 (ปีงบประมาณ
    พ.ศ. 2565)``), for the package's columns that hold them (``package.named_columns``)."""
    from analysis.report.reporting import bare_dimension_name

    m = messages(language)
    names = {
        d.code: m("names.dimension", name=bare_dimension_name(getattr(d, f"name_{language}"), language))
        for d in codebook.dimensions
    }
    names["overall"] = m("names.overall")
    names |= {g["code"]: g.get(f"label_{language}") or g["label_th"] for g in meta.get("groups") or []}
    names |= {c["code"]: c.get(f"name_{language}") or c["code"] for c in meta.get("cycles") or []}
    return names


def _readable(value, words: dict[str, str], yes_no: dict[str, str]):
    """One cell for a reader: a code as its words, a list (``['C1', 'C2']``, as the run's CSV
    writes one, or ``C1 C2``) as its items' words joined by commas, a truth value as yes or no."""
    if isinstance(value, bool):
        return yes_no[str(value).lower()]
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            items = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
        if isinstance(items, list):
            return ", ".join(str(_readable(item, words, yes_no)) for item in items)
    if isinstance(value, str) and " " in value and all(part in words for part in value.split()):
        return ", ".join(words[part] for part in value.split())  # codes joined by spaces
    return words.get(value, value) if isinstance(value, str) else value


def with_headers(
    frame: pd.DataFrame, language: str = "th", stem: str = "", names: dict[str, str] | None = None
) -> pd.DataFrame:
    """A table as a committee reads it: its column names in ``language``
    (:func:`table_headers`, never twice), and the cells of code columns in words: codes of
    the catalogue (:func:`value_words`), the run's codes of dimensions, groups and cycles
    (``names``, :func:`code_names`) in ``package.named_columns``, lists joined with commas,
    truth values as yes or no (``package.yes_no``). Columns labelled as codes keep them."""
    m = messages(language)
    headers = table_headers(language, stem)
    words = value_words(language)
    named = set(m.get("package.named_columns"))
    yes_no = {str(k).lower(): str(v) for k, v in m.get("package.yes_no").items()}
    table = frame.copy()
    for column in table.columns:
        known = (names or {}) if column in named else words.get(column, {})
        table[column] = [_readable(v, known, yes_no) for v in table[column].tolist()]
    new: dict[str, str] = {}
    for column in table.columns:
        name = headers.get(column, column)
        new[column] = name if name not in new.values() else f"{name} ({column})"  # never twice
    return table.rename(columns=new)


def readme_text(entries: list[str], meta: dict, language: str = "th") -> str:
    """``อ่านก่อน.txt``: what the package holds, folder by folder, every member under its folder
    (catalogue ``package.readme``, whose ``folders`` are folder or file-name prefixes; CRLF line
    ends for Notepad). A member no prefix of the catalogue describes is an error: the read-me
    lists everything and only what is there."""
    m = messages(language)
    described: dict[str, str] = m.get("package.readme.folders")
    unlisted = [e for e in entries if not any(e.startswith(prefix) for prefix in described)]
    if unlisted:
        raise ValueError(f"no folder of catalogue package.readme.folders describes {', '.join(unlisted)}")
    lines = [
        m("package.readme.title", title=meta.get(f"title_{language}") or m("package.readme.default_title"))
    ]
    if meta.get(f"agency_{language}"):
        lines.append(m("package.readme.agency", agency=meta[f"agency_{language}"]))
    if meta.get("synthetic"):
        lines.append(m("package.readme.synthetic"))
    lines += [
        "",
        m("package.readme.made_by"),
        m("package.readme.no_personal_data"),
        "",
        m("package.readme.contents"),
    ]
    for prefix, text in described.items():  # a folder and its members, or each file by itself
        members = [e for e in entries if e.startswith(prefix)]
        if prefix.endswith("/") and members:
            lines.append(m("package.readme.folder", folder=prefix, text=text))
            lines += [m("package.readme.member", name=e) for e in members]
        else:
            lines += [m("package.readme.folder", folder=e, text=text) for e in members]
    lines += ["", m("package.readme.start", file=README_FILE)]
    return "\r\n".join(lines) + "\r\n"


def package_timestamp(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The date every member of the zip carries: the documents' creation time
    (:func:`analysis.report.render.source_epoch`, the data's last submission), so the same data give
    the same zip and the dates a committee sees are the data's, not 1980."""
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return (
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second - moment.second % 2,
    )


SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_MAX = 31  # Excel's limit, in UTF-16 code units


def sheet_names(stems: list[str], language: str = "th") -> dict[str, str]:
    """Each table's sheet (tab) name, by file stem: the catalogue's ``package.sheets`` (or
    ``package.sheet_other`` with a number for a table it does not name), without the
    characters Excel refuses (``[]:*?/\\``), cut to 31 characters and unique."""
    m = messages(language)
    named: dict[str, str] = m.get("package.sheets")
    names: dict[str, str] = {}
    for number, stem in enumerate(stems, start=1):
        base = named.get(stem) or m("package.sheet_other", number=number)
        base = SHEET_FORBIDDEN.sub(" ", base).strip(" '") or m("package.sheet_other", number=number)
        name, copy = _cut(base), 1
        while name in names.values():
            copy += 1
            name = _cut(base, f" ({copy})")
        names[stem] = name
    return names


def _cut(name: str, suffix: str = "") -> str:
    """``name`` + ``suffix`` within :data:`SHEET_MAX` UTF-16 units, ``name`` cut first."""
    while len((name + suffix).encode("utf-16-le")) // 2 > SHEET_MAX:
        name = name[:-1]
    return name.rstrip() + suffix
