"""A small record for the dashboard tests: one inspection at each point that matters."""

from __future__ import annotations

from dataclasses import dataclass

from inspectorate.domain.lifecycle import Stage
from inspectorate.services import context, documents, stages, users
from tests.factories import morning, schedule, scored, signed_off

PASSWORD = "correct horse battery"
ROLES = {
    "manager": "mia.manager",
    "inspector": "ian.inspector",
    "body": "wales.trust",
    "public": "pat.public",
}


@dataclass(frozen=True)
class BoardRecord:
    """Ids of what the record holds."""

    published: int  # London, published: everyone sees it
    draft: int  # Wales, draft with the body: the manager and Wales only
    assigned: int  # Cumbria, announced: the manager and the assigned inspector
    scored: int  # Durham Tees Valley, scored, no team text yet: the manager and its lead inspector
    draft_document: int
    published_document: int


def advance(inspection_id: int, stage: Stage, day: str) -> None:
    """Take a stage and write its documents, as the sweep would."""
    context.run(
        stages.apply_stage, inspection_id=inspection_id, stage=stage, actor="t", now=morning(day)
    )
    context.run(
        documents.write_stage_documents,
        inspection_id=inspection_id,
        stage=stage,
        now=morning(day),
        actor="t",
    )


def build_board_record() -> BoardRecord:
    """Four inspections and an account per role (the record must be initialised)."""
    published = scored("London", fieldwork_start="2014-03-03")  # IAOW has one team
    signed_off(published, "draft", on="2014-04-01")
    advance(published, Stage.SEND_DRAFT, "2014-04-04")
    advance(published, Stage.CLOSE_COMMENTS, "2014-04-22")
    signed_off(published, "publication", on="2014-05-28")
    advance(published, Stage.PUBLISH, "2014-05-30")
    draft = scored("Wales")
    signed_off(draft, "draft", on="2014-04-01")
    advance(draft, Stage.SEND_DRAFT, "2014-04-04")
    to_sign = scored("Durham Tees Valley", fieldwork_start="2014-03-17")  # the next week
    assigned = schedule(body="Cumbria", fieldwork_start="2014-05-12")  # trusts end in May 2014
    context.run(
        stages.apply_stage,
        inspection_id=assigned,
        stage=Stage.ANNOUNCE,
        actor="t",
        now=morning("2014-03-03"),
    )
    with context.unit_of_work() as session:
        for role, name in ROLES.items():
            users.add_user(
                session,
                username=name,
                role=role,
                password=PASSWORD,
                body="Wales" if role == "body" else None,
                now=morning("2014-01-02"),
            )
        for inspection_id in (assigned, to_sign):
            users.assign(
                session,
                username=ROLES["inspector"],
                inspection_id=inspection_id,
                now=morning("2014-01-02"),
            )
    with context.reading() as session:
        draft_doc = documents.versions_of(session, inspection_id=draft)[0]
        published_doc = [
            v for v in documents.versions_of(session, inspection_id=published) if v.public
        ][0]
    assert draft_doc.id is not None and published_doc.id is not None
    return BoardRecord(published, draft, assigned, to_sign, draft_doc.id, published_doc.id)
