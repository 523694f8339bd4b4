"""Reading judgement files: a corpus of bad files, each with a clear error."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from inspectorate.adapters.config_files import load_frameworks
from inspectorate.adapters.fieldwork import read_judgements, read_ratings
from inspectorate.domain.errors import InvalidFile

FRAMEWORKS = load_frameworks(Path(__file__).resolve().parent.parent / "config" / "frameworks")
IAOW, ESI = FRAMEWORKS["iaow"], FRAMEWORKS["esi"]
GOOD = (
    "case_id,question_id,judgement,assessor\nc1,1.1a,sufficient,ann\nc1,1.1b,Not Applicable,ann\n"
)


def write(tmp_path: Path, text: str | bytes, name: str = "judgements.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_a_good_file_reads_with_judgements_normalised(tmp_path: Path) -> None:
    frame = read_judgements(write(tmp_path, GOOD), IAOW)
    assert list(frame["judgement"]) == ["sufficient", "not_applicable"]


def test_xlsx_is_read_like_csv(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [("case_id", "question_id", "judgement"), ("c1", "1.1a", "insufficient")]:
        sheet.append(row)
    path = tmp_path / "judgements.xlsx"
    book.save(path)
    assert list(read_judgements(path, IAOW)["judgement"]) == ["insufficient"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("case_id,judgement\nc1,sufficient\n", "missing column(s) question_id"),
        (
            "case_id,question_id,judgement\nc1,9.9,sufficient\n",
            "row 2, column question_id: unknown question '9.9'",
        ),
        (
            "case_id,question_id,judgement\nc1,1.1a,good\n",
            "row 2, column judgement: 'good' is not one of sufficient, insufficient",
        ),
        (
            "case_id,question_id,judgement\nc1,1.1a,sufficient\nc1,1.1a,insufficient\n",
            "row 3, column question_id: '1.1a' is judged twice",
        ),
        ("case_id,question_id,judgement\n,1.1a,sufficient\n", "row 2, column case_id: empty"),
        ("", "the file is empty"),
        ("case_id,question_id,judgement\n", "header but no rows"),
        ("case_id,question_id,judgement\nc1,1.1a,sufficient\n".encode("utf-16"), "not UTF-8"),
        (
            "case_id,question_id,judgement\nJos\xe9,1.1a,sufficient\n".encode("latin-1"),
            "save it as 'CSV UTF-8'",
        ),
    ],
    ids=[
        "missing-column",
        "unknown-question",
        "bad-judgement",
        "duplicate",
        "empty-case",
        "empty-file",
        "header-only",
        "utf-16",
        "latin-1",
    ],
)
def test_bad_files_are_refused_with_row_and_column(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    with pytest.raises(InvalidFile) as raised:
        read_judgements(write(tmp_path, content), IAOW)
    assert message in str(raised.value)


def test_a_case_outside_the_sample_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match="row 4, column case_id: case 'c9' is not in"):
        read_judgements(write(tmp_path, GOOD + "c9,1.1c,sufficient\n"), IAOW, sample={"c1"})


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile, match="not a readable XLSX"):
        read_judgements(write(tmp_path, b"not a zip", "judgements.xlsx"), IAOW)


def test_the_first_twenty_problems_are_listed_then_a_count(tmp_path: Path) -> None:
    bad = "case_id,question_id,judgement\n" + "".join(f"c{i},1.1a,maybe\n" for i in range(30))
    with pytest.raises(InvalidFile) as raised:
        read_judgements(write(tmp_path, bad), IAOW)
    text = str(raised.value)
    assert "30 problem(s)" in text and "… and 10 more" in text
    assert text.count("is not one of") == 20
    assert len(raised.value.problems) == 30


def test_descriptive_ratings_are_checked_against_the_scale(tmp_path: Path) -> None:
    good = write(tmp_path, "criterion_id,rating\nA1,well met\nA2,Not met\n", "ratings.csv")
    assert read_ratings(good, ESI) == {"A1": "Well met", "A2": "Not met"}
    bad = write(tmp_path, "criterion_id,rating\nB1,Well met\nA1,Superb\n", "bad.csv")
    with pytest.raises(InvalidFile) as raised:
        read_ratings(bad, ESI)
    assert "'B1' is not a descriptive criterion" in str(raised.value)
    assert "'Superb' is not one of Very well met" in str(raised.value)


def test_a_case_with_two_genders_is_refused(tmp_path: Path) -> None:
    text = (
        "case_id,question_id,judgement,gender\nc1,1.1a,sufficient,Male\n"
        "c1,1.1b,sufficient,Female\nc2,1.1a,sufficient,Female\n"
    )
    with pytest.raises(InvalidFile) as raised:
        read_judgements(write(tmp_path, text), IAOW)
    assert "row 2, column gender: 'Male' disagrees" in str(raised.value)
    assert "row 4" not in str(raised.value)
