import pandas as pd
import pytest

from analysis.data.reading import read_export
from analysis.errors import PhanatError

HEADER = "ประทับเวลา,ที่อยู่อีเมล,ข้อ 1\n"
ROW = "1/7/2564 10:00:00,a@example.com,มากที่สุด\n"


@pytest.mark.parametrize(
    ("encoding", "prefix", "label"),
    [("utf-8", b"", "utf-8"), ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"), ("cp874", b"", "cp874")],
)
def test_csv_encodings_are_detected(tmp_path, encoding, prefix, label):
    path = tmp_path / "export.csv"
    path.write_bytes(prefix + (HEADER + ROW).encode(encoding))
    raw = read_export(path)
    assert raw.encoding == label
    assert list(raw.frame.columns) == ["ประทับเวลา", "ที่อยู่อีเมล", "ข้อ 1"]
    assert raw.frame.iloc[0, 2] == "มากที่สุด"


def test_bytes_that_are_neither_utf8_nor_thai_are_refused(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,ville\nRené,Besançon\n".encode("latin-1"))
    with pytest.raises(PhanatError, match="latin1.csv: .*UTF-8"):
        read_export(path)


@pytest.mark.parametrize(
    ("content", "message"), [(b"", "empty"), (HEADER.encode(), "header but no responses"), (b"\n\n", "empty")]
)
def test_empty_and_header_only_files(tmp_path, content, message):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(PhanatError, match=message):
        read_export(path)


def test_missing_file_and_unknown_type(tmp_path):
    with pytest.raises(PhanatError, match="not found"):
        read_export(tmp_path / "nope.csv")
    other = tmp_path / "export.pdf"
    other.write_bytes(b"%PDF-1.4")
    with pytest.raises(PhanatError, match="unknown file type '.pdf'"):
        read_export(other)


def test_ragged_row_names_the_row(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(HEADER + ROW + "x,y\n", encoding="utf-8")
    with pytest.raises(PhanatError, match="row 2"):
        read_export(path)


def test_xlsx_first_sheet_as_strings(tmp_path):
    path = tmp_path / "export.xlsx"
    pd.DataFrame({"ประทับเวลา": ["1/7/2564 10:00:00"], "ข้อ 1": [5]}).to_excel(path, index=False)
    raw = read_export(path)
    assert raw.encoding == "xlsx" and raw.frame.iloc[0, 1] == "5"


def test_raw_file_is_not_modified(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(HEADER + ROW, encoding="utf-8")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read_export(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
