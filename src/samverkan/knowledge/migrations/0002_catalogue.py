from django.db import migrations


def load_catalogue(apps, schema_editor):
    from samverkan.knowledge.loader import catalogue_load

    catalogue_load(apps.get_model, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
