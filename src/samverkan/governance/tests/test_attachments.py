"""Attachments to agreements: the owner attaches, readers fetch, outsiders get nothing,
wrong files are refused at the file field, and removal keeps history."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.core import bounds
from samverkan.governance import attachments
from samverkan.governance.models import AgreementAttachment

from .factories import agreement

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"x" * 100


def _upload(client, a, name="Avtal signerat.pdf", content=PDF):
    return client.post(
        reverse("governance:attachment_add", args=[a.public_id]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_the_owner_uploads_and_a_reader_downloads(setting, client_for):
    a = agreement(setting)
    response = _upload(client_for(setting.owner), a)
    assert response.status_code == 302
    att = AgreementAttachment.objects.get(agreement=a)
    assert (att.filename, att.content_type, att.size) == (
        "Avtal signerat.pdf",
        "application/pdf",
        len(PDF),
    )
    page = client_for(setting.reader).get(reverse("governance:detail", args=[a.public_id]))
    assert "Avtal signerat.pdf" in page.content.decode()
    got = client_for(setting.reader).get(
        reverse("governance:attachment", args=[a.public_id, att.public_id])
    )
    assert got.status_code == 200
    assert got.content == PDF
    assert got["Content-Disposition"].startswith("attachment;")
    assert got["X-Content-Type-Options"] == "nosniff"
    details = [e.details for e in AuditEvent.objects.filter(resource_id=str(a.public_id))]
    assert sum(1 for d in details if d.get("attachment") == str(att.public_id)) == 2


@pytest.mark.parametrize("who", ["reader", "colleague", "other"])
def test_only_owner_and_strategy_group_may_upload(setting, client_for, who):
    a = agreement(setting)
    assert _upload(client_for(getattr(setting, who)), a).status_code == 404
    assert not AgreementAttachment.objects.exists()
    assert _upload(client_for(setting.strategist), a).status_code == 302


def test_a_non_party_cannot_download(setting, client_for, as_actor):
    a = agreement(setting)
    att = attachments.attachment_add(
        actor=as_actor(setting.owner), agreement_id=a.public_id, filename="a.pdf", content=PDF
    )
    url = reverse("governance:attachment", args=[a.public_id, att.public_id])
    assert client_for(setting.other).get(url).status_code == 404
    assert client_for(setting.reader).get(url).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("stor.pdf", b"%PDF-" + b"x" * bounds.FILE_UPLOAD_BYTES, "för stor"),
        ("skript.pdf", b"<script>alert(1)</script>", "måste vara en PDF"),
        ("bild.exe", b"MZ\x90\x00", "måste vara en PDF"),
        ("tom.pdf", b"", "tom"),
    ],
)
def test_a_wrong_file_is_refused_at_the_file_field(setting, client_for, name, content, message):
    a = agreement(setting)
    response = _upload(client_for(setting.owner), a, name=name, content=content)
    assert response.status_code == 422
    assert message in " ".join(response.context["attachment_form"].errors["file"])
    assert 'id="id_file-error"' in response.content.decode()
    assert not AgreementAttachment.objects.exists()


def test_a_filename_is_sanitised_and_bounded():
    assert attachments.safe_filename('../../etc/"pass\nwd".pdf') == "_pass_wd_.pdf"
    long = attachments.safe_filename("a" * 500 + ".docx")
    assert len(long) == bounds.TEXT_NAME and long.endswith(".docx")


def test_removal_keeps_history_and_stops_downloads(setting, client_for, as_actor):
    a = agreement(setting)
    att = attachments.attachment_add(
        actor=as_actor(setting.owner), agreement_id=a.public_id, filename="a.pdf", content=PDF
    )
    remove = reverse("governance:attachment_remove", args=[a.public_id, att.public_id])
    assert client_for(setting.reader).post(remove).status_code == 404
    assert client_for(setting.owner).post(remove).status_code == 302
    att.refresh_from_db()
    assert att.removed_at is not None and bytes(att.content) == PDF
    url = reverse("governance:attachment", args=[a.public_id, att.public_id])
    assert client_for(setting.reader).get(url).status_code == 404
    page = client_for(setting.reader).get(reverse("governance:detail", args=[a.public_id]))
    assert "borttagen av" in page.content.decode()
    assert AuditEvent.objects.filter(resource_id=str(a.public_id), action="delete").exists()


def test_a_file_up_to_10_mb_passes_the_request_bound_and_a_bigger_body_is_a_413(
    setting, client_for
):
    """Decision 0290: the attachment route takes a body as large as a 10 MB file and its
    form; a bigger body is refused with the Swedish 413 page before it is read."""
    a = agreement(setting)
    client = client_for(setting.owner)
    largest = b"%PDF-1.7\n" + b"x" * (bounds.FILE_UPLOAD_BYTES - 9)
    assert _upload(client, a, content=largest).status_code == 302
    assert AgreementAttachment.objects.get(agreement=a).size == bounds.FILE_UPLOAD_BYTES
    response = _upload(client, a, name="För stor.pdf", content=largest + b"x" * 1024 * 1024)
    assert response.status_code == 413
    assert "Det du skickade är för stort" in response.content.decode()
    assert AgreementAttachment.objects.filter(agreement=a).count() == 1
