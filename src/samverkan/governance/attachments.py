"""Files attached to an agreement or routine: who may add, fetch and remove them, and the
check of what a file is (its first bytes, not its name).

The document owner and the strategy group add and remove attachments (as they edit the
text); whoever may read the agreement may fetch them. The bytes are stored in the
database. A removed attachment keeps its row, marked removed, as history. Every upload,
download and removal leaves an audit row.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from samverkan.access.actor import Actor
from samverkan.audit.models import Action
from samverkan.core import bounds
from samverkan.core.errors import NotFound, ValidationFailed

from . import selectors
from .models import Agreement, AgreementAttachment
from .services import _audit, _locked, _require_edit

FIELD = "file"


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]
    magic: bytes


# Office formats (DOCX, XLSX, ODT) are ZIP files; the extension picks which one.
KINDS = (
    Kind("application/pdf", (".pdf",), b"%PDF-"),
    Kind("image/png", (".png",), b"\x89PNG\r\n\x1a\n"),
    Kind("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
        b"PK\x03\x04",
    ),
    Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (".xlsx",),
        b"PK\x03\x04",
    ),
    Kind("application/vnd.oasis.opendocument.text", (".odt",), b"PK\x03\x04"),
)
WRONG_TYPE = gettext_lazy("Filen måste vara en PDF, DOCX, XLSX, ODT, PNG eller JPEG.")
TOO_BIG = gettext_lazy("Filen är för stor. Den får vara högst 10 MB.")
EMPTY = gettext_lazy("Filen är tom. Välj en fil med innehåll.")


def safe_filename(name: str) -> str:
    """The name without folders, control characters or quotes, at most TEXT_NAME long
    (the extension kept)."""
    name = unicodedata.normalize("NFC", PurePath(name.replace("\\", "/")).name)
    name = re.sub(r'[\x00-\x1f\x7f"<>:|?*;/]', "_", name).strip(" .") or "bilaga"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    limit = bounds.TEXT_NAME - len(ext) - 1
    return f"{stem[:limit]}.{ext}" if ext else name[: bounds.TEXT_NAME]


def kind_of(filename: str, head: bytes) -> Kind:
    """The file's kind, if its extension is allowed and its first bytes agree."""
    ext = PurePath(filename.lower()).suffix
    for kind in KINDS:
        if ext in kind.extensions and head.startswith(kind.magic):
            return kind
    raise ValidationFailed(WRONG_TYPE, field=FIELD)


def check(filename: str, content: bytes) -> tuple[str, Kind]:
    if not content:
        raise ValidationFailed(EMPTY, field=FIELD)
    if len(content) > bounds.FILE_UPLOAD_BYTES:
        raise ValidationFailed(TOO_BIG, field=FIELD)
    name = safe_filename(filename)
    return name, kind_of(name, content[:16])


@transaction.atomic
def attachment_add(
    *, actor: Actor, agreement_id, filename: str, content: bytes
) -> AgreementAttachment:
    agreement = _locked(agreement_id)
    _require_edit(actor, agreement)
    name, kind = check(filename, content)
    attachment = AgreementAttachment.objects.create(
        agreement=agreement,
        filename=name,
        content_type=kind.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=actor.user_id,
        uploaded_by_name=actor.label[: bounds.TEXT_NAME],
        uploaded_at=timezone.now(),
    )
    _audit(
        actor,
        Action.CREATE,
        agreement,
        attachment=str(attachment.public_id),
        filename=name,
        size=len(content),
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Actor, agreement_id, attachment_id) -> AgreementAttachment:
    agreement = _locked(agreement_id)
    _require_edit(actor, agreement)
    attachment = _find(agreement, attachment_id)
    if attachment.removed_at is None:
        attachment.removed_at = timezone.now()
        attachment.removed_by_name = actor.label[: bounds.TEXT_NAME]
        attachment.save(update_fields=["removed_at", "removed_by_name", "updated_at"])
        _audit(actor, Action.DELETE, agreement, attachment=str(attachment.public_id))
    return attachment


def _find(agreement: Agreement, attachment_id) -> AgreementAttachment:
    try:
        return AgreementAttachment.objects.get(agreement=agreement, public_id=attachment_id)
    except (AgreementAttachment.DoesNotExist, ValueError) as exc:
        raise NotFound(gettext("Bilagan finns inte.")) from exc


def attachment_get(actor: Actor, agreement_id, attachment_id) -> AgreementAttachment:
    """A current attachment for someone who may read the agreement (audited)."""
    agreement = selectors.agreement_get(actor, agreement_id)
    attachment = _find(agreement, attachment_id)
    if attachment.removed_at is not None:
        raise NotFound(gettext("Bilagan är borttagen."))
    _audit(actor, Action.READ, agreement, attachment=str(attachment.public_id))
    return attachment


def listed(agreement: Agreement) -> list[AgreementAttachment]:
    """Current attachments (without their bytes), then removed ones for history."""
    return list(
        AgreementAttachment.objects.filter(agreement=agreement)
        .defer("content")
        .order_by(F("removed_at").asc(nulls_first=True), "uploaded_at")
    )
