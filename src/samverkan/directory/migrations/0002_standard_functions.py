from django.db import migrations


def load_functions(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    from samverkan.directory.catalogue import FUNCTIONS

    Function = apps.get_model("directory", "Function")
    for code, name, description, permissions in FUNCTIONS:
        Function.objects.using(db).update_or_create(
            code=code,
            defaults={"name": name, "description": description, "permissions": permissions},
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load_functions, migrations.RunPython.noop)]
