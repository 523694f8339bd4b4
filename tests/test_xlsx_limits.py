"""Workbooks read within bounds, and refusals that stay short and name the sender's file."""

from __future__ import annotations

import datetime as dt
import io
import random
import string
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from inspectorate.adapters import xlsx
from inspectorate.adapters.caseloads import read_caseload
from inspectorate.adapters.fieldwork import read_judgements
from inspectorate.adapters.tables import read_table
from inspectorate.domain.errors import InvalidFile
from tests.test_fieldwork import IAOW

HEADER = ("case_id", "question_id", "judgement")
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
        '<sheet name="Judgements" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def cell(ref: str, value: str | int) -> str:
    """One cell of sheet XML: a number or an inline string."""
    if isinstance(value, int):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet(rows: list[tuple[str | int, ...]], dimension: str = "A1:C1") -> str:
    """Sheet XML for `rows` (row 1 first), with a declared dimension."""
    body = "".join(
        f'<row r="{n}">' + "".join(cell(f"{'ABC'[i]}{n}", v) for i, v in enumerate(r)) + "</row>"
        for n, r in enumerate(rows, start=1)
    )
    return (
        f'<worksheet xmlns="{NS}"><dimension ref="{dimension}"/>'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def workbook(sheet_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal XLSX archive around one sheet (and any extra parts)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**PARTS, "xl/worksheets/sheet1.xml": sheet_xml}.items():
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "judgements.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path) -> str:
    """The message of the InvalidFile that reading `path` raises (timed: it must be quick)."""
    started = time.monotonic()
    with pytest.raises(InvalidFile) as refused:
        read_table(path, HEADER)
    assert time.monotonic() - started < 5
    message = str(refused.value)
    assert len(message) < 2_500
    return message


GOOD = [HEADER, ("c1", "1.1a", "sufficient"), ("c1", "1.1b", "insufficient")]


def test_a_plain_workbook_reads_like_the_csv(tmp_path: Path) -> None:
    frame = read_judgements(write(tmp_path, workbook(sheet(GOOD))), IAOW)
    assert list(frame["judgement"]) == ["sufficient", "insufficient"]


def test_a_declared_size_of_a_whole_sheet_is_not_believed(tmp_path: Path) -> None:
    """A1:XFD1048576 would pad every row to 16,384 cells and add a million empty rows."""
    path = write(tmp_path, workbook(sheet(GOOD, dimension="A1:XFD1048576")))
    started = time.monotonic()
    frame = read_table(path, HEADER)
    assert time.monotonic() - started < 2
    assert frame.shape == (2, 4)


def test_cells_come_as_the_person_sees_them_with_sheet_row_numbers(tmp_path: Path) -> None:
    book = io.BytesIO()
    pd.DataFrame(
        {
            "case_id": ["c1", None, "c2"],
            "start_date": [dt.datetime(2013, 5, 13), None, dt.datetime(2013, 6, 3)],
            "rosh": ["low", None, "High"],
            "case_type": ["licence", None, "community"],
            **{
                c: ["x", None, "y"]
                for c in ("gender", "ethnicity", "age_band", "principal_offence")
            },
            "count": [3, None, 4.5],
        }
    ).to_excel(book, index=False)
    frame = read_table(write(tmp_path, book.getvalue()), ("case_id", "start_date"))
    assert list(frame["row"]) == [2, 4]  # the blank row 3 is skipped, not renumbered
    assert list(frame["start_date"]) == ["2013-05-13", "2013-06-03"]
    assert list(frame["count"]) == ["3", "4.5"]
    caseload = read_caseload(write(tmp_path, book.getvalue(), "caseload.xlsx"))
    assert [d.isoformat() for d in caseload["start_date"]] == ["2013-05-13", "2013-06-03"]


def test_one_huge_cell_compressed_small_is_refused_before_parsing(tmp_path: Path) -> None:
    """The reported case: a 22 KB workbook holding a 20 MB cell."""
    data = workbook(sheet([HEADER, ("c1", "1.1a", "x" * 20_000_000)]))
    assert len(data) < 100_000
    message = refusal(write(tmp_path, data, "Durham judgements.xlsx"))
    assert "Durham judgements.xlsx: 1 problem(s):\n  a part that expands" in message


def test_a_cell_beyond_excels_own_limit_is_refused(tmp_path: Path) -> None:
    noise = "".join(random.Random(1).choices(string.ascii_letters, k=40_000))  # compresses poorly
    message = refusal(write(tmp_path, workbook(sheet([HEADER, ("c1", "1.1a", noise)]))))
    assert "cell C2 holds 40,000 characters; a cell holds at most 32,767" in message
    assert noise[:100] not in message


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    zeros = {f"xl/media/pad{i}.bin": bytes(999_000) for i in range(101)}  # 101 MB, ~100 KB
    message = refusal(write(tmp_path, workbook(sheet(GOOD), zeros)))
    assert "expands to 101 MB; the limit is 100 MB" in message


def test_one_part_expanding_too_many_times_is_refused(tmp_path: Path) -> None:
    message = refusal(write(tmp_path, workbook(sheet(GOOD), {"xl/pad.bin": bytes(5_000_000)})))
    assert "a part that expands" in message and "at most 200 times" in message


def test_too_many_cells_are_refused(tmp_path: Path) -> None:
    """A cell in the last column of each row makes every row 16,384 cells wide."""
    rows = "".join(f'<row r="{n}">{cell(f"XFD{n}", 1)}</row>' for n in range(2, 200))
    head = "".join(cell(f"{'ABC'[i]}1", name) for i, name in enumerate(HEADER))
    xml = (
        f'<worksheet xmlns="{NS}"><sheetData><row r="1">{head}</row>{rows}</sheetData></worksheet>'
    )
    assert "more than 2,000,000 cells (by row 124)" in refusal(write(tmp_path, workbook(xml)))


def test_too_many_rows_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_ROWS", 50)
    rows = [HEADER, *((f"c{n}", "1.1a", "sufficient") for n in range(60))]
    assert "more than 50 rows" in refusal(write(tmp_path, workbook(sheet(rows))))


def test_rows_far_down_count_as_rows(tmp_path: Path) -> None:
    """One cell in row 1,100,000: the million empty rows before it count too."""
    head = "".join(cell(f"{'ABC'[i]}1", name) for i, name in enumerate(HEADER))
    far = f'<row r="1100000">{cell("A1100000", "c1")}</row>'
    xml = f'<worksheet xmlns="{NS}"><sheetData><row r="1">{head}</row>{far}</sheetData></worksheet>'
    started = time.monotonic()
    with pytest.raises(InvalidFile, match="more than 1,048,576 rows"):
        read_table(write(tmp_path, workbook(xml)), HEADER)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "password-protected or old-format"),
        (b"PK\x03\x04 damaged", "not a readable XLSX workbook"),
        (workbook("<worksheet"), "not a readable XLSX workbook (ParseError)"),
    ],
    ids=["encrypted-or-xls", "damaged-zip", "damaged-xml"],
)
def test_odd_files_are_refused_in_words(tmp_path: Path, data: bytes, message: str) -> None:
    assert message in refusal(write(tmp_path, data))


def test_an_unusual_compression_method_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO(workbook(sheet(GOOD)))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_BZIP2) as archive:
        archive.writestr("xl/extra.xml", "<x/>")
    assert "compressed in a way Excel does not use" in refusal(write(tmp_path, buffer.getvalue()))


def test_values_quoted_in_problems_are_cut_short(tmp_path: Path) -> None:
    long = "maybe" * 10_000
    rows = "".join(f"c{i},1.1a,{long}\n" for i in range(30))
    path = write(tmp_path, f"case_id,question_id,judgement\n{rows}".encode(), "j.csv")
    with pytest.raises(InvalidFile) as refused:
        read_judgements(path, IAOW)
    message = str(refused.value)
    assert len(message) < 2_500 and "…' is not one of" in message
    assert "row 2, column judgement: 'maybemaybe" in message
    assert message.endswith("more") and len(refused.value.problems) == 30


def test_a_long_header_is_cut_in_the_missing_columns_message(tmp_path: Path) -> None:
    header = ",".join(f"column_{i}_{'x' * 200}" for i in range(100))
    message = refusal(write(tmp_path, f"{header}\n1\n".encode(), "j.csv"))
    assert "missing column(s) case_id, question_id, judgement" in message
    assert "column_0_xxx" in message and "…" in message and "more" in message
