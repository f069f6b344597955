from django.db import migrations


def load_functions(apps, schema_editor):
    from samverkan.directory.catalogue import FUNCTIONS

    Function = apps.get_model("directory", "Function")
    for code, name, description, permissions in FUNCTIONS:
        Function.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "permissions": permissions},
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(load_functions, migrations.RunPython.noop)]
