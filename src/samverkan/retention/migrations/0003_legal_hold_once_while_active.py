# The same hold is active once (decision 0355): a hold placed twice at once made two.

from django.db import migrations, models
from django.utils import timezone

DUPLICATE = "Samma spärr var lagd två gånger samtidigt; den först lagda gäller."


def release_duplicates(apps, schema_editor):
    """Of the active holds on the same child and record type, the first placed stays;
    the others are released with a reason (nothing is erased)."""
    LegalHold = apps.get_model("retention", "LegalHold")
    kept = set()
    for hold in LegalHold.objects.filter(released_at__isnull=True).order_by("placed_at", "pk"):
        key = (hold.subject_id, hold.record_type)
        if key in kept:
            hold.released_at = timezone.now()
            hold.released_by = "Samverkan"
            hold.release_reason = DUPLICATE
            hold.save(update_fields=["released_at", "released_by", "release_reason"])
        kept.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_text_bounds"),
    ]

    operations = [
        migrations.RunPython(release_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="legalhold",
            constraint=models.UniqueConstraint(
                condition=models.Q(("released_at__isnull", True)),
                fields=("subject_id", "record_type"),
                name="legal_hold_once_while_active",
            ),
        ),
    ]
