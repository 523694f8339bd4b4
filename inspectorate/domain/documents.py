"""The documents of an inspection: their kinds, which a stage produces, which are public."""

from __future__ import annotations

from enum import StrEnum

from inspectorate.domain.errors import InvalidInput
from inspectorate.domain.lifecycle import Stage


class DocumentKind(StrEnum):
    """A kind of letter or report the lifecycle writes."""

    ANNOUNCEMENT = "announcement"
    DRAFT = "draft"
    FOLLOW_UP_DRAFT = "follow_up_draft"
    PUBLISHED = "published"
    FOLLOW_UP = "follow_up"


def document_kind(text: str) -> DocumentKind:
    """Return the kind named `text`, or raise InvalidInput naming the kinds there are."""
    try:
        return DocumentKind(text)
    except ValueError:
        known = ", ".join(DocumentKind)
        raise InvalidInput(f"document kind {text!r} is not one of {known}", field="kind") from None


# Public once the inspection is published; everything else stays embargoed.
PUBLIC_KINDS = frozenset({DocumentKind.PUBLISHED, DocumentKind.FOLLOW_UP})
DRAFT_KINDS = frozenset({DocumentKind.DRAFT, DocumentKind.FOLLOW_UP_DRAFT})


def documents_for_stage(
    stage: Stage, *, in_wales: bool, follow_up: bool
) -> list[tuple[DocumentKind, str]]:
    """The (kind, language) pairs a stage produces: Welsh too for a body in Wales (seed 003)."""
    both = ["en", "cy"] if in_wales else ["en"]
    if stage is Stage.ANNOUNCE:
        return [(DocumentKind.ANNOUNCEMENT, lang) for lang in both]
    if stage is Stage.SEND_DRAFT:
        drafts = [DocumentKind.DRAFT] + ([DocumentKind.FOLLOW_UP_DRAFT] if follow_up else [])
        return [(kind, "en") for kind in drafts]
    if stage is Stage.PUBLISH:
        kinds = [DocumentKind.PUBLISHED] + ([DocumentKind.FOLLOW_UP] if follow_up else [])
        return [(kind, lang) for kind in kinds for lang in both]
    return []
