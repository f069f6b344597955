"""The standard function of the municipality's jurist (kommunjurist): proposes changes to
the catalogue of legal grounds and reviews other people's proposals (``legal.propose``,
``legal.review``; four eyes: never their own). The strategy group may propose
(``legal.propose`` added to its function). Neither sees personal data about children."""

from django.db import migrations

CODE = "kommunjurist"
PROPOSE = "legal.propose"


def add(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Function = apps.get_model("directory", "Function")
    Function.objects.using(db).update_or_create(
        code=CODE,
        defaults={
            "name": "Kommunjurist",
            "description": "Granskar katalogen över rättsliga grunder: föreslår ändringar "
            "och fastställer andras förslag. Ser inte barns uppgifter.",
            "permissions": [PROPOSE, "legal.review"],
        },
    )
    for group in Function.objects.using(db).filter(code="strategigrupp"):
        if PROPOSE not in group.permissions:
            group.permissions = [*group.permissions, PROPOSE]
            group.save(update_fields=["permissions"])


def remove(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Function = apps.get_model("directory", "Function")
    Function.objects.using(db).filter(code=CODE, memberships__isnull=True).delete()
    for group in Function.objects.using(db).filter(code="strategigrupp"):
        group.permissions = [p for p in group.permissions if p != PROPOSE]
        group.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0002_catalogue_changes"),
        ("governance", "0002_strategy_group_function"),
    ]

    operations = [migrations.RunPython(add, remove)]
