"""The body's comments on its draft: checked, kept once, and the window closed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cli.main import main
from inspectorate.domain.errors import InvalidFile, InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.services import comments, context, stages
from tests.factories import morning, scored, signed_off, status_of


def test_a_comments_file_must_be_utf8_text_that_says_something(tmp_path: Path) -> None:
    empty, latin, missing = tmp_path / "e.txt", tmp_path / "l.txt", tmp_path / "nope.txt"
    empty.write_text("  \n")
    latin.write_bytes("Caf\xe9".encode("latin-1"))
    for path, message in ((empty, "is empty"), (latin, "not UTF-8"), (missing, "cannot be read")):
        with pytest.raises(InvalidFile, match=message):
            comments.read_comments(path)


def test_comments_are_kept_once_and_only_while_the_draft_is_out(sqlite_database: str) -> None:
    inspection_id = scored()
    with pytest.raises(InvalidTransition, match="only while its draft is with the body"):
        context.run(
            comments.record_comments,
            inspection_id=inspection_id,
            text="Early",
            author="body",
            now=morning("2014-04-01"),
        )
    signed_off(inspection_id, on="2014-04-01")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.SEND_DRAFT,
        actor="t",
        now=morning("2014-04-04"),
    )
    for expected in (True, False):
        assert (
            context.run(
                comments.record_comments,
                inspection_id=inspection_id,
                text="<script>x</script> para 2",
                author="body",
                now=morning("2014-04-10"),
            )
            is expected
        )
    with context.reading() as session:
        received = comments.comments_on(session, inspection_id=inspection_id)
    assert [c.text for c in received] == ["<script>x</script> para 2"]


@pytest.mark.usefixtures("prefect_server")
def test_draft_comments_without_a_server_records_them_and_closes_the_window(
    sqlite_database: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inspection_id = scored()
    signed_off(inspection_id, on="2014-04-01")
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.SEND_DRAFT,
        actor="t",
        now=morning("2014-04-04"),
    )
    text = tmp_path / "comments.txt"
    text.write_text("Please correct the date in paragraph 1.2.\n")
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "inspectorate",
            "draft",
            "comments",
            str(inspection_id),
            str(text),
            "--as-of",
            "2014-04-14",
        ],
    )
    with pytest.raises(SystemExit) as done:
        main()
    out = capsys.readouterr().out
    assert done.value.code in (0, None) and "draft_sent → comments_closed" in out
    assert status_of(inspection_id) == "comments_closed"
