"""Sharing grants (decision 0090): the table, and the grants of the consents already
recorded, computed with the same rules (consent.grants.periods) from the historical
models, so that the migration does not depend on how the models look later."""

from collections import defaultdict

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def build(apps, schema_editor):
    from samverkan.consent.grants import periods
    from samverkan.consent.rules import Thresholds

    Consent = apps.get_model("consent", "Consent")
    SharingGrant = apps.get_model("consent", "SharingGrant")
    Custody = apps.get_model("people", "Custody")
    Involvement = apps.get_model("people", "Involvement")
    conf = settings.SAMVERKAN
    thresholds = Thresholds(conf["CONSENT_CHILD_VIEWS_AGE"], conf["CONSENT_CHILD_OWN_AGE"])
    consents = list(
        Consent.objects.select_related("child").prefetch_related("givers", "party_links")
    )
    child_ids = {c.child_id for c in consents}
    custodies = defaultdict(list)
    current = Custody.objects.filter(child_id__in=child_ids, ended_at__isnull=True)
    for custody in current.select_related("guardian"):
        custodies[custody.child_id].append(custody)
    involvements = defaultdict(list)
    for involvement in Involvement.objects.filter(child_id__in=child_ids):
        involvements[involvement.child_id].append(involvement)
    rows = []
    for consent in consents:
        party_ids = {p.organisation_id for p in consent.party_links.all()}
        found = periods(
            consent=consent,
            givers=list(consent.givers.all()),
            custodies=[
                c
                for c in custodies[consent.child_id]
                if c.guardian.organisation_id == consent.registered_by_organisation_id
            ],
            involvements=involvements[consent.child_id],
            party_ids=party_ids,
            child=consent.child,
            thresholds=thresholds,
        )
        rows += [
            SharingGrant(
                consent_id=consent.pk,
                child_id=consent.child_id,
                organisation_id=org_id,
                valid_from=start,
                valid_until=end,
                own_age=thresholds.child_own_age,
            )
            for start, end in found
            for org_id in sorted(party_ids)
        ]
    SharingGrant.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_categories_and_purposes"),
        ("directory", "0002_standard_functions"),
        ("people", "0004_custody_history"),
    ]

    operations = [
        migrations.CreateModel(
            name="SharingGrant",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("valid_from", models.DateTimeField()),
                ("valid_until", models.DateTimeField()),
                ("own_age", models.PositiveSmallIntegerField()),
                (
                    "child",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.child",
                    ),
                ),
                (
                    "consent",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="grants",
                        to="consent.consent",
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="directory.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["organisation", "child", "valid_until"],
                        name="consent_grant_org_child",
                    ),
                    models.Index(fields=["child"], name="consent_grant_child"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("valid_until__gt", models.F("valid_from"))),
                        name="consent_grant_period_ordered",
                    )
                ],
            },
        ),
        migrations.RunPython(build, migrations.RunPython.noop),
    ]
