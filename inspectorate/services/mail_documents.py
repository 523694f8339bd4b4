"""The documents a notice carries: the letter or report its stage wrote, once it is written.

A stage's documents are an owed effect done after the stage, so a notice can fall due before
its document exists; `stage_documents` then says what is missing and the notice waits for a
later delivery rather than going out without what it announces.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.mail import Attachment
from inspectorate.adapters.models import Body, Inspection, OwedEffect, ReportVersion
from inspectorate.adapters.rows import plain_rows
from inspectorate.adapters.settings import Settings
from inspectorate.domain.documents import DocumentKind, documents_for_stage
from inspectorate.domain.lifecycle import Stage
from inspectorate.domain.stage_effects import Effect

TITLES = {
    DocumentKind.ANNOUNCEMENT: "announcement letter",
    DocumentKind.DRAFT: "draft report",
    DocumentKind.FOLLOW_UP_DRAFT: "draft follow-up report",
    DocumentKind.PUBLISHED: "report",
    DocumentKind.FOLLOW_UP: "follow-up report",
}
LANGUAGES = {"en": "English", "cy": "Welsh"}
PREFERRED_FORMATS = ("pdf", "html")  # a PDF when one is written, else the HTML


@dataclass(frozen=True)
class MailDocument:
    """One stored document as a mail shows it: title, language, file name and link."""

    kind: DocumentKind
    lang: str
    title: str
    language: str
    format: str
    path: Path
    filename: str
    link: str

    def attachment(self) -> Attachment:
        """The document's bytes, named for the reader."""
        return Attachment.from_file(self.path, self.filename)


@dataclass(frozen=True)
class StageDocuments:
    """The documents a notice carries, or what it still waits for."""

    documents: tuple[MailDocument, ...] = ()
    missing: str | None = None


def public_link(settings: Settings, path: str) -> str:
    """An address on the dashboard as mail readers reach it."""
    return settings.public_url.rstrip("/") + path


def stage_documents(
    session: Session, *, inspection: Inspection, body: Body, stage: Stage, settings: Settings
) -> StageDocuments:
    """The latest stored version of each document `stage` writes, or what is not written yet."""
    assert inspection.id is not None
    params = {"inspection_id": inspection.id, "stage": stage.value}
    owed = plain_rows(session, _DOCUMENTS_OWED, params)
    wanted = documents_for_stage(
        stage, in_wales=body.in_wales, follow_up=inspection.parent_id is not None
    )
    if owed and wanted:
        return StageDocuments(missing=f"the {TITLES[wanted[0][0]]} is still being written")
    found: list[MailDocument] = []
    for kind, lang in wanted:
        version = _latest(session, inspection.id, kind, lang)
        if version is None or not Path(version.path).is_file():
            language = f" ({LANGUAGES.get(lang, lang)})" if body.in_wales else ""
            return StageDocuments(missing=f"the {TITLES[kind]}{language} is not written yet")
        found.append(_describe(version, body, settings))
    return StageDocuments(documents=tuple(found))


def _latest(
    session: Session, inspection_id: int, kind: DocumentKind, lang: str
) -> ReportVersion | None:
    for fmt in PREFERRED_FORMATS:
        params = {"inspection_id": inspection_id, "kind": kind, "lang": lang, "format": fmt}
        version = session.exec(_LATEST, params=params).first()
        if version is not None:
            return version
    return None


# Built once: every notice with documents asks them, for each of its documents.
_DOCUMENTS_OWED = select(col(OwedEffect.id)).where(
    col(OwedEffect.inspection_id) == bindparam("inspection_id"),
    col(OwedEffect.stage) == bindparam("stage"),
    col(OwedEffect.effect) == Effect.DOCUMENTS.value,
    col(OwedEffect.done_at).is_(None),
)
_LATEST = (
    select(ReportVersion)
    .where(
        col(ReportVersion.inspection_id) == bindparam("inspection_id"),
        col(ReportVersion.kind) == bindparam("kind"),
        col(ReportVersion.lang) == bindparam("lang"),
        col(ReportVersion.format) == bindparam("format"),
    )
    .order_by(col(ReportVersion.id).desc())
)


def _describe(version: ReportVersion, body: Body, settings: Settings) -> MailDocument:
    title = TITLES[version.kind]
    slug = "-".join("".join(c if c.isalnum() else " " for c in body.name.lower()).split())
    filename = f"{title.replace(' ', '-')}-{slug}-{version.lang}.{version.format}"
    return MailDocument(
        kind=version.kind,
        lang=version.lang,
        title=title,
        language=LANGUAGES.get(version.lang, version.lang),
        format=version.format,
        path=Path(version.path),
        filename=filename,
        link=public_link(settings, f"/documents/{version.id}"),
    )
