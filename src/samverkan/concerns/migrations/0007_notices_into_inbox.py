"""The start page's notices (concerns.Notice) are folded into the inbox (notify,
decision 0192): each unread notice becomes the inbox item of the same meaning, addressed
to the person it was for; reminders of deadlines are not copied, since every open
matter gets its clock items from ``concerns_sweep`` (concerns.inbox.clocks_ensure). An
inbox item holds no text: what it says is derived again when it is read."""

from django.db import migrations

_KINDS = (
    ("Du har fått anmälan", "concerns.assigned"),
    ("Ny anmälan", "concerns.contact"),
)


def _kind(text: str) -> str:
    for start, kind in _KINDS:
        if text.startswith(start):
            return kind
    return "concerns.entry"  # an addition, correction or question from the reporter


def forwards(apps, schema_editor):
    # The database being migrated (the tests migrate a second one for the backup tests).
    db = schema_editor.connection.alias
    Notice = apps.get_model("concerns", "Notice")
    InboxItem = apps.get_model("notify", "InboxItem")
    unread = Notice.objects.using(db).filter(read_at__isnull=True, key="").select_related(
        "report__child", "membership"
    )
    items = []
    for notice in unread.iterator(chunk_size=500):
        membership = notice.membership
        kind = _kind(notice.text)
        report = notice.report
        items.append(
            InboxItem(
                kind=kind,
                address=f"u:{membership.user_id}:{membership.organisation_id}",
                organisation_id=membership.organisation_id,
                user_id=membership.user_id,
                ref_id=str(report.public_id),
                subject_id=str(report.child.public_id) if report.child_id else "",
                key=str(membership.pk) if kind == "concerns.assigned" else f"notice-{notice.pk}",
            )
        )
        if len(items) >= 500:
            InboxItem.objects.using(db).bulk_create(items, ignore_conflicts=True)
            items = []
    InboxItem.objects.using(db).bulk_create(items, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0006_text_bounds"),
        ("notify", "0001_inbox"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notice"),
    ]
