"""The standard information categories and purposes. Administrators may add more or
deactivate these; codes are stable identifiers used by features."""

from django.db import migrations

CATEGORIES = [
    ("skolsituation", "Skolsituation och närvaro", "Hur barnet har det i skolan eller förskolan, närvaro, kunskapsutveckling och stöd i skolan."),
    ("halsa", "Hälsa", "Fysisk och psykisk hälsa, vårdkontakter och utredningar."),
    ("social_situation", "Social situation och familj", "Familjens situation, boende, relationer och fritid."),
    ("insatser", "Insatser", "Vilka verksamheter som ger stöd eller insatser och vad de innebär."),
]
PURPOSES = [
    ("samverkanstraff", "Samverkansträff", "Att barnets situation tas upp med namn på en samverkansträff."),
    ("sip", "Samordnad individuell plan (SIP)", "Att verksamheterna planerar insatserna tillsammans i en SIP."),
    ("aterkoppling", "Återkoppling efter anmälan", "Att socialtjänsten får berätta mer för den som anmält oro."),
    ("trepartssamtal", "Trepartssamtal", "Samtal mellan familjen, den som anmält och socialtjänsten."),
    ("allman_samverkan", "Allmän samverkan", "Att verksamheterna får kontakta varandra om barnets behov av stöd."),
]


def load(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Category = apps.get_model("consent", "InformationCategory")
    Purpose = apps.get_model("consent", "Purpose")
    for order, (code, name, description) in enumerate(CATEGORIES):
        Category.objects.using(db).update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
    for order, (code, name, description) in enumerate(PURPOSES):
        Purpose.objects.using(db).update_or_create(
            code=code, defaults={"name": name, "description": description, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
