"""The documents each stage produces, kept by content hash, and the lifting of the embargo.

announce → the announcement letter; send_draft → the draft report (and the draft follow-up
report for a follow-up); publish → the published report(s), then the embargo is lifted and
the distribution recorded. A body in Wales gets its letter and published reports in English
and Welsh. Writing a document again gives the same bytes and records nothing new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from inspectorate.adapters.database import utc
from inspectorate.adapters.models import Body, ReportVersion
from inspectorate.adapters.repository import get_inspection, record_audit
from inspectorate.adapters.rows import plain_rows, row_by_id
from inspectorate.adapters.settings import get_settings
from inspectorate.domain.documents import PUBLIC_KINDS, DocumentKind, document_kind
from inspectorate.domain.documents import documents_for_stage as kinds_for_stage
from inspectorate.domain.lifecycle import PUBLISHED_STATUSES, Stage
from inspectorate.domain.stage_effects import Effect
from inspectorate.services import follow_up_reports, letters, owed_effects, publication, reports


@dataclass(frozen=True)
class SavedDocument:
    """One written document: where it is, its hash, and whether this version is new."""

    kind: DocumentKind
    lang: str
    format: str
    path: Path
    sha256: str
    new: bool


def render_document(
    session: Session, *, inspection_id: int, kind: DocumentKind | str, lang: str
) -> str:
    """Render one kind of document as HTML."""
    kind = document_kind(kind)
    if kind is DocumentKind.ANNOUNCEMENT:
        return letters.render_letter_html(session, inspection_id=inspection_id, lang=lang)
    if kind in ("draft", "published"):
        return reports.render_html(
            session, inspection_id=inspection_id, draft=kind == "draft", lang=lang
        )
    if kind in ("follow_up_draft", "follow_up"):
        return follow_up_reports.render_follow_up_html(
            session, inspection_id=inspection_id, draft=kind == "follow_up_draft", lang=lang
        )
    raise AssertionError(f"no renderer for {kind}")  # every kind is handled above


def save_version(
    session: Session,
    *,
    inspection_id: int,
    kind: DocumentKind,
    fmt: str,
    content: bytes,
    folder: Path,
    now: dt.datetime,
    actor: str,
    lang: str = "en",
) -> SavedDocument:
    """Write the file, then record its version once (audited); say whether it is new.

    The file comes first, so a recorded version always has its file; should the transaction
    roll back, the file stays and the next render (same bytes, same name) records it.
    """
    reports.check_format(fmt)
    digest = hashlib.sha256(content).hexdigest()
    path = folder / f"inspection-{inspection_id}-{kind}-{lang}-{digest[:12]}.{fmt}"
    if not path.exists():  # the name carries the hash: an existing file holds these bytes
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(content)
        partial.replace(path)  # never a half-written file under the final name
    params = {"inspection_id": inspection_id, "kind": kind, "lang": lang, "format": fmt}
    if plain_rows(session, _KNOWN_VERSION, {**params, "sha256": digest}):
        return SavedDocument(kind, lang, fmt, path, digest, False)
    inspection = get_inspection(session, inspection_id=inspection_id)
    version = ReportVersion(
        inspection_id=inspection_id,
        kind=kind,
        lang=lang,
        format=fmt,
        sha256=digest,
        path=str(path),
        created_at=utc(now),
        public=kind in PUBLIC_KINDS and inspection.status in PUBLISHED_STATUSES,
    )
    session.add(version)
    session.flush()
    assert version.id is not None
    record_audit(
        session,
        at=now,
        actor=actor,
        entity="report",
        entity_id=version.id,
        inspection_id=inspection_id,
        action=f"{kind}_rendered",
        to_state=digest[:12],
        why=f"{fmt.upper()} ({lang}) written to {path}",
    )
    return SavedDocument(kind, lang, fmt, path, digest, True)


def render_formats(
    session: Session,
    *,
    inspection_id: int,
    kind: DocumentKind | str,
    lang: str,
    formats: tuple[str, ...],
) -> list[tuple[DocumentKind, str, str, bytes]]:
    """Render one document in every format asked for: (kind, lang, format, bytes), no writes."""
    kind = document_kind(kind)
    html = render_document(session, inspection_id=inspection_id, kind=kind, lang=lang)
    return [
        (kind, lang, fmt, html.encode() if fmt == "html" else reports.html_to_pdf(html))
        for fmt in formats
    ]


def save_versions(
    session: Session,
    *,
    inspection_id: int,
    rendered: list[tuple[DocumentKind, str, str, bytes]],
    folder: Path,
    now: dt.datetime,
    actor: str,
) -> list[SavedDocument]:
    """Keep every rendered document (file, then version row), once each."""
    return [
        save_version(
            session,
            inspection_id=inspection_id,
            kind=kind,
            fmt=fmt,
            content=content,
            folder=folder,
            now=now,
            actor=actor,
            lang=lang,
        )
        for kind, lang, fmt, content in rendered
    ]


# Built once: every document written asks it.
_KNOWN_VERSION = (
    select(col(ReportVersion.id))
    .where(
        col(ReportVersion.inspection_id) == bindparam("inspection_id"),
        col(ReportVersion.kind) == bindparam("kind"),
        col(ReportVersion.lang) == bindparam("lang"),
        col(ReportVersion.format) == bindparam("format"),
        col(ReportVersion.sha256) == bindparam("sha256"),
    )
    .limit(1)
)


def write_document(
    session: Session,
    *,
    inspection_id: int,
    kind: DocumentKind | str,
    lang: str,
    formats: tuple[str, ...],
    folder: Path,
    now: dt.datetime,
    actor: str,
) -> list[SavedDocument]:
    """Render one document and keep it in every format asked for."""
    rendered = render_formats(
        session, inspection_id=inspection_id, kind=kind, lang=lang, formats=formats
    )
    return save_versions(
        session, inspection_id=inspection_id, rendered=rendered, folder=folder, now=now, actor=actor
    )


def documents_for_stage(
    session: Session, *, inspection_id: int, stage: Stage
) -> list[tuple[DocumentKind, str]]:
    """The (kind, language) pairs a stage produces for this inspection."""
    inspection = get_inspection(session, inspection_id=inspection_id)
    body = row_by_id(session, Body, inspection.body_id)
    assert body is not None
    return kinds_for_stage(
        stage, in_wales=body.in_wales, follow_up=inspection.parent_id is not None
    )


def write_stage_documents(
    session: Session, *, inspection_id: int, stage: Stage, now: dt.datetime, actor: str
) -> list[SavedDocument]:
    """Write what `stage` produces (in the configured formats); after publishing, distribute."""
    settings = get_settings()
    # Everything is rendered (PDFs take a second each) before the first row is written, so
    # the transaction holds the database's write lock only for the short part.
    rendered = [
        document
        for kind, lang in documents_for_stage(session, inspection_id=inspection_id, stage=stage)
        for document in render_formats(
            session,
            inspection_id=inspection_id,
            kind=kind,
            lang=lang,
            formats=settings.document_formats(),
        )
    ]
    # Marked in the transaction that records the documents (done exactly when they exist),
    # and first, so a racing sweep that wrote them already is seen and nothing is doubled.
    if owed_effects.done_elsewhere(
        session, inspection_id=inspection_id, stage=stage, effect=Effect.DOCUMENTS, now=now
    ):
        return []
    saved = save_versions(
        session,
        inspection_id=inspection_id,
        rendered=rendered,
        folder=settings.reports_dir,
        now=now,
        actor=actor,
    )
    if stage is Stage.PUBLISH:
        publication.lift_embargo(session, inspection_id=inspection_id, now=now, actor=actor)
    return saved


def versions_of(
    session: Session, *, inspection_id: int, public_only: bool = False
) -> list[ReportVersion]:
    """Every stored version of the inspection's documents, oldest first."""
    query = select(ReportVersion).where(ReportVersion.inspection_id == inspection_id)
    if public_only:
        query = query.where(col(ReportVersion.public).is_(True))
    return list(session.exec(query.order_by(col(ReportVersion.id))))


def inspection_published(session: Session, *, inspection_id: int) -> bool:
    """Whether the inspection's report has been published (its embargo lifted)."""
    return get_inspection(session, inspection_id=inspection_id).status in PUBLISHED_STATUSES
