"""The standard function of the strategy group (strategigrupp): creates and changes
agreements, routines and the strategy plan (permission ``governance.manage``). It sees
no personal data about children."""

from django.db import migrations

CODE = "strategigrupp"


def add(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Function = apps.get_model("directory", "Function")
    Function.objects.using(db).update_or_create(
        code=CODE,
        defaults={
            "name": "Strategigrupp",
            "description": "Leder samverkan på förvaltningsnivå: överenskommelser, rutiner, "
            "strategiplan och uppföljning. Ser inte barns uppgifter.",
            "permissions": ["governance.manage"],
        },
    )


def remove(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Function = apps.get_model("directory", "Function")
    Function.objects.using(db).filter(code=CODE, memberships__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("directory", "0003_administration_and_identities"),
    ]

    operations = [migrations.RunPython(add, remove)]
