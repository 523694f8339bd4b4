"""Documents of the lifecycle: letters, drafts, published reports, embargo and distribution."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from inspectorate.adapters.models import AuditEvent, Inspection, ReportVersion
from inspectorate.domain.documents import DocumentKind
from inspectorate.domain.errors import InvalidTransition
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.report_context import DISTRIBUTION
from inspectorate.services import context, documents, publication, rehearsal, stages
from tests.factories import morning, schedule, scored, signed_off
from tests.test_cli import run


def kinds(inspection_id: int) -> list[tuple[str, str, bool]]:
    return [(v.kind, v.lang, v.public) for v in versions(inspection_id)]


def versions(inspection_id: int) -> list[ReportVersion]:
    with context.reading() as session:
        return documents.versions_of(session, inspection_id=inspection_id)


def produced(inspection_id: int, stage: Stage) -> list[tuple[DocumentKind, str]]:
    with context.reading() as session:
        return documents.documents_for_stage(session, inspection_id=inspection_id, stage=stage)


def test_a_body_in_wales_gets_its_letter_and_published_report_in_both_languages(
    sqlite_database: str,
) -> None:
    welsh, english = schedule(body="Wales"), schedule(body="London", fieldwork_start="2014-02-17")
    assert produced(welsh, Stage.ANNOUNCE) == [
        ("announcement", "en"),
        ("announcement", "cy"),
    ]
    assert produced(welsh, Stage.PUBLISH) == [
        ("published", "en"),
        ("published", "cy"),
    ]
    assert produced(welsh, Stage.SEND_DRAFT) == [("draft", "en")]
    assert produced(english, Stage.PUBLISH) == [("published", "en")]
    assert produced(english, Stage.RECORD_FIELDWORK) == []


def test_the_sweep_writes_the_draft_then_publishes_and_distributes_once(
    sqlite_database: str, tmp_path: Path
) -> None:
    inspection_id = scored("Wales")
    signed_off(inspection_id, on="2014-04-01")
    rehearsal.direct_morning(morning("2014-04-04").date(), morning("2014-04-04"))
    letters = [("announcement", "en", False), ("announcement", "cy", False)]  # owed since then
    assert kinds(inspection_id) == [*letters, ("draft", "en", False)]
    with pytest.raises(InvalidTransition, match="embargoed until it is published"):
        context.run(
            publication.lift_embargo,
            inspection_id=inspection_id,
            now=morning("2014-04-05"),
            actor="t",
        )
    context.run(
        stages.apply_stage,
        inspection_id=inspection_id,
        stage=Stage.CLOSE_COMMENTS,
        actor="body",
        now=morning("2014-04-22", 12),
    )
    signed_off(inspection_id, "publication", on="2014-05-28")
    rehearsal.direct_morning(morning("2014-05-30").date(), morning("2014-05-30"))
    assert kinds(inspection_id) == [
        *letters,
        ("draft", "en", False),
        ("published", "en", True),
        ("published", "cy", True),
    ]
    welsh = versions(inspection_id)[4]
    assert "Dosbarthiad" in Path(welsh.path).read_text(encoding="utf-8")
    with context.reading() as session:
        recipients = [
            d.recipient for d in publication.distribution_of(session, inspection_id=inspection_id)
        ]
    assert recipients == ["Wales", *DISTRIBUTION]
    assert (
        context.run(
            publication.lift_embargo,
            inspection_id=inspection_id,
            now=morning("2014-06-02"),
            actor="t",
        )
        == []
    )
    with Session(context.engine()) as session:
        actions = session.exec(
            select(AuditEvent.action).where(AuditEvent.inspection_id == inspection_id)
        ).all()
    assert actions.count("report_distributed") == 1
    assert actions.count("published_rendered") == 2 and actions.count("draft_rendered") == 1


def test_writing_a_document_again_keeps_one_version(sqlite_database: str, tmp_path: Path) -> None:
    inspection_id = schedule(body="Wales")
    for _ in range(2):
        (saved,) = context.run(
            documents.write_document,
            inspection_id=inspection_id,
            kind="announcement",
            lang="cy",
            formats=("html",),
            folder=tmp_path,
            now=morning("2013-12-02"),
            actor="t",
        )
    assert not saved.new and len(versions(inspection_id)) == 1
    assert "Cyhoeddi arolygiad" in saved.path.read_text(encoding="utf-8")


def test_a_follow_up_gets_a_comparison_report_beside_its_own(sqlite_database: str) -> None:
    inspection_id = schedule(body="London")
    with Session(context.engine()) as session:
        session.add(
            Inspection(
                body_id=1,
                programme_id=1,
                fieldwork_start=morning("2015-03-09").date(),
                status="planned",
                kind="follow_up",
                parent_id=inspection_id,
                created_at=morning("2014-06-02"),
                updated_at=morning("2014-06-02"),
            )
        )
        session.commit()
    assert produced(2, Stage.SEND_DRAFT) == [
        ("draft", "en"),
        ("follow_up_draft", "en"),
    ]


@pytest.mark.usefixtures("prefect_server")
def test_report_commands_write_letters_drafts_and_refuse_bad_options(
    sqlite_database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    inspection_id = scored("Wales")
    code, out, _ = run(["report", "draft", str(inspection_id), "--lang", "cy"], capsys, monkeypatch)
    assert code == 0 and "Draft (cy, html)" in out and "awaiting a translator's review" in out
    code, out, _ = run(["report", "letter", str(inspection_id)], capsys, monkeypatch)
    assert code == 0 and "Announcement (en, html)" in out
    code, _, err = run(["report", "draft", str(inspection_id), "--lang", "fr"], capsys, monkeypatch)
    assert code == 2 and "--lang: language 'fr' is not one of en, cy" in err
    code, _, err = run(
        ["report", "draft", str(inspection_id), "--format", "doc"], capsys, monkeypatch
    )
    assert code == 2 and "--format: format 'doc' is not one of html, pdf" in err
    code, out, _ = run(["report", "list", str(inspection_id), "--json"], capsys, monkeypatch)
    listed = json.loads(out)
    assert [(v["kind"], v["lang"], v["public"]) for v in listed] == [
        ("draft", "cy", False),
        ("announcement", "en", False),
    ]
    code, _, err = run(
        ["report", "publish", str(inspection_id), "--as-of", "2014-04-01"], capsys, monkeypatch
    )
    assert code == 2 and "scored" in err  # not yet: the draft has not gone, nothing written
    assert len(versions(inspection_id)) == 2
