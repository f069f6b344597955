"""One working calendar link per user (decision 0356). Two requests at once could each
revoke only the links committed before them and leave several working; before the
constraint, every user's links but the newest are revoked (as a new link would have)."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def revoke_all_but_the_newest(apps, schema_editor):
    CalendarToken = apps.get_model("meetings", "CalendarToken")
    newest: dict[int, int] = {}
    active = CalendarToken.objects.filter(revoked_at__isnull=True).order_by("created_at", "pk")
    for user_id, pk in active.values_list("user_id", "pk"):
        newest[user_id] = pk
    active.exclude(pk__in=newest.values()).update(revoked_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_text_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(revoke_all_but_the_newest, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="calendartoken",
            constraint=models.UniqueConstraint(
                condition=models.Q(("revoked_at__isnull", True)),
                fields=("user",),
                name="meetings_one_active_calendar_token",
            ),
        ),
    ]
