"""Run by test_migration_notices.py in a process of its own, whose default database is
a new, empty scratch database (DATABASE_URL): migrates to just before concerns 0007,
creates notices through the models as they were then, migrates forward, and prints what
the migration made (and what it should have made) as JSON. In a process of its own
because several data migrations write to the default database whatever database is
being migrated."""

from __future__ import annotations

import json
import os
import sys

BEFORE = [("concerns", "0006_text_bounds"), ("notify", "0001_inbox")]
AFTER = [("concerns", "0007_notices_into_inbox")]


def _migrate(targets):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.config.settings.test")
    import django

    django.setup()
    from django.db import connection

    old = _migrate(BEFORE)
    Principal = old.get_model("directory", "Principal")
    Organisation = old.get_model("directory", "Organisation")
    Function = old.get_model("directory", "Function")
    Membership = old.get_model("directory", "Membership")
    User = old.get_model("auth", "User")
    Child = old.get_model("people", "Child")
    Report = old.get_model("concerns", "Report")
    Notice = old.get_model("concerns", "Notice")

    principal = Principal.objects.create(name="Migreringskommun", kind="kommun")
    school = Organisation.objects.create(principal=principal, name="Skolan", org_type="skola")
    social = Organisation.objects.create(
        principal=principal, name="Socialtjänsten", org_type="socialtjanst"
    )
    function = Function.objects.get(code="socialsekreterare")
    handler_user = User.objects.create(username="handlaggare")
    other_user = User.objects.create(username="kollega")
    handler = Membership.objects.create(
        user=handler_user, organisation=social, function=function, valid_from="2026-01-01"
    )
    colleague = Membership.objects.create(
        user=other_user, organisation=social, function=function, valid_from="2026-01-01"
    )
    child = Child.objects.create(
        personal_number="201501010001",
        date_of_birth="2015-01-01",
        first_name="Nora",
        last_name="Migreradsdotter",
    )
    common = {
        "receiving_organisation": social,
        "worry": "Oro",
        "source": "professional",
        "channel": "written",
        "urgency": "soon",
        "guardians_informed": "no",
        "received_at": "2026-02-01T09:00Z",
    }
    report = Report.objects.create(
        reference="OA-1",
        child=child,
        reporter_organisation=school,
        reporter_name="En lärare",
        **common,
    )
    common["source"] = "private"
    anonymous = Report.objects.create(
        reference="OA-2", child_details="Ett barn i klass 3", **common
    )
    at = "2026-02-01T10:00Z"
    made = [
        # Unread: an assignment, a contact report, a question from the reporter.
        (handler, report, "Du har fått anmälan OA-1", {}),
        (colleague, report, "Ny anmälan från Skolan", {}),
        (handler, anonymous, "Anmälaren har ställt en fråga", {}),
        # Read, and a deadline reminder (by key): not copied.
        (colleague, report, "Du har fått anmälan OA-1", {"read_at": at}),
        (handler, report, "Förhandsbedömning snart", {"key": "due:x"}),
    ]
    for membership, about, text, extra in made:
        Notice.objects.create(
            membership=membership, report=about, text=text, created_at=at, **extra
        )
    ids = list(Notice.objects.order_by("pk").values_list("pk", flat=True))
    soc = social.pk
    expected = [
        ["concerns.assigned", f"u:{handler_user.pk}:{soc}", soc, handler_user.pk,
         str(report.public_id), str(child.public_id), str(handler.pk)],
        ["concerns.contact", f"u:{other_user.pk}:{soc}", soc, other_user.pk,
         str(report.public_id), str(child.public_id), f"notice-{ids[1]}"],
        ["concerns.entry", f"u:{handler_user.pk}:{soc}", soc, handler_user.pk,
         str(anonymous.public_id), "", f"notice-{ids[2]}"],
    ]  # fmt: skip

    new = _migrate(AFTER)
    InboxItem = new.get_model("notify", "InboxItem")
    fields = ["kind", "address", "organisation_id", "user_id", "ref_id", "subject_id", "key"]
    actual = sorted([list(row) for row in InboxItem.objects.values_list(*fields)])
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    json.dump(
        {
            "vendor": connection.vendor,
            "expected": sorted(expected),
            "actual": actual,
            "rows": [str(row) for row in InboxItem.objects.values()],
            "notice_table": "concerns_notice" in tables,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
