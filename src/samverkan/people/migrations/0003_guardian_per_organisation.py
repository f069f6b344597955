"""Guardians become per-organisation records (see models.Guardian)."""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Give each existing guardian to the organisation that first worked with one of
    their children (the organisation that, in practice, entered them)."""
    db = schema_editor.connection.alias  # the database being migrated
    Guardian = apps.get_model("people", "Guardian")
    Custody = apps.get_model("people", "Custody")
    Involvement = apps.get_model("people", "Involvement")
    Guardian.objects.using(db).filter(personal_number__isnull=True).update(personal_number="")
    for guardian in Guardian.objects.using(db).filter(organisation__isnull=True):
        child_ids = Custody.objects.using(db).filter(guardian=guardian).values("child_id")
        first = Involvement.objects.using(db).filter(child_id__in=child_ids).order_by("started_at").first()
        if first is None:
            guardian.delete()
            continue
        guardian.organisation_id = first.organisation_id
        guardian.save(update_fields=["organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_standard_functions"),
        ("people", "0002_involvement_context_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="guardian",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="guardian",
            name="personal_number",
            field=models.CharField(blank=True, max_length=12, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="guardian",
            name="personal_number",
            field=models.CharField(blank=True, max_length=12),
        ),
        migrations.AlterField(
            model_name="guardian",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="directory.organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="guardian",
            constraint=models.UniqueConstraint(
                condition=models.Q(("personal_number", ""), _negated=True),
                fields=("organisation", "personal_number"),
                name="guardian_number_once_per_organisation",
            ),
        ),
    ]
