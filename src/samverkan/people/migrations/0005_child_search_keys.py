"""Search and sort columns of children (decision 0091): filled for the children
already registered; on PostgreSQL also a trigram index (pg_trgm) for fuzzy name search.
SQLite has no trigrams: there the folded spellings (people.names) are the fuzzy part."""

from django.db import migrations, models


def fill(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    from samverkan.people.names import keys

    Child = apps.get_model("people", "Child")
    batch = []
    for child in Child.objects.using(db).only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        for field, value in keys(child.first_name, child.last_name).items():
            setattr(child, field, value)
        batch.append(child)
        if len(batch) == 2000:
            Child.objects.using(db).bulk_update(batch, ["name_key", "name_key_last", "sort_key"])
            batch = []
    Child.objects.using(db).bulk_update(batch, ["name_key", "name_key_last", "sort_key"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS child_name_key_trgm ON people_child "
        "USING gin (name_key gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS child_name_key_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0004_custody_history'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='child',
            options={'ordering': ['sort_key', 'pk'], 'verbose_name': 'barn', 'verbose_name_plural': 'barn'},
        ),
        migrations.AddField(
            model_name='child',
            name='name_key',
            field=models.CharField(default='', max_length=201),
        ),
        migrations.AddField(
            model_name='child',
            name='name_key_last',
            field=models.CharField(default='', max_length=201),
        ),
        migrations.AddField(
            model_name='child',
            name='sort_key',
            field=models.CharField(default='', max_length=201),
        ),
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['name_key'], name='child_name_key', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['name_key_last'], name='child_name_key_last', opclasses=['varchar_pattern_ops']),
        ),
        migrations.AddIndex(
            model_name='child',
            index=models.Index(fields=['sort_key', 'id'], name='child_sort_key'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
