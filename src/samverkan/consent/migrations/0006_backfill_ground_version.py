"""Disclosures recorded before the catalogue of legal grounds was versioned (decision
0163) have no ``ground_version``. Each gets the version that was in force on the day of
the disclosure: of the versions stored in ``legal.CatalogueVersion``, the latest adopted
on or before that day (in the product's time zone), if its grounds include the
disclosure's ground. Where that cannot be determined (the disclosure is older than the
first stored version, or the version then in force does not name its ground), the field
stays empty, which the product shows as "okänd" (unknown), never as a guess. Reversing
leaves the versions in place (they are true either way)."""

from collections import defaultdict

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def _versions(CatalogueVersion, using):
    """(adopted_on, version, ground codes), oldest first."""
    rows = CatalogueVersion.objects.using(using).order_by("adopted_on", "recorded_at")
    return [
        (row.adopted_on, row.version, {g.get("code") for g in row.data.get("grounds", [])})
        for row in rows
    ]


def version_on(versions, day, code):
    """The version in force on ``day`` if it names ``code``, else ""."""
    in_force = None
    for adopted_on, version, codes in versions:
        if adopted_on > day:
            break
        in_force = (version, codes)
    if in_force is None or code not in in_force[1]:
        return ""
    return in_force[0]


def backfill(apps, schema_editor):
    using = schema_editor.connection.alias
    Disclosure = apps.get_model("consent", "Disclosure")
    CatalogueVersion = apps.get_model("legal", "CatalogueVersion")
    versions = _versions(CatalogueVersion, using)
    if not versions:
        return
    by_version = defaultdict(list)
    rows = (
        Disclosure.objects.using(using)
        .filter(ground_version="")
        .values_list("pk", "occurred_at", "ground_code")
    )
    for pk, occurred_at, code in rows.iterator(chunk_size=BATCH):
        version = version_on(versions, timezone.localtime(occurred_at).date(), code)
        if version:
            by_version[version].append(pk)
    for version, pks in by_version.items():
        for start in range(0, len(pks), BATCH):
            Disclosure.objects.using(using).filter(pk__in=pks[start : start + BATCH]).update(
                ground_version=version
            )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0005_disclosure_ground_version"),
        ("legal", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
