"""The intake dashboard stays current without a reload: the page polls (htmx) with a
fingerprint that holds no personal data; unchanged, the answer is 204 and nothing is
loaded or audited; changed, the table comes anew, as the viewer may see it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samverkan.audit.models import AuditEvent
from samverkan.concerns.models import Report
from samverkan.concerns.tests.test_unregistered_child import REPORT, _number

pytestmark = pytest.mark.django_db


def test_the_intake_dashboard_updates_itself_when_a_report_arrives(sent):
    client = sent.client(sent.intake)
    page = client.get(reverse("concerns:intake"))
    assert page.status_code == 200
    poll = re.search(r'id="intake-live" hx-get="([^"]+)" hx-trigger="every 20s"', page.text)
    assert poll, "the dashboard polls"
    url = poll.group(1).replace("&amp;", "&")
    stamp = re.search(r"stamp=([^&]+)", url).group(1)
    assert "Nora" not in stamp and sent.report.reference not in stamp  # no personal data
    audited = AuditEvent.objects.count()
    assert client.get(url).status_code == 204  # nothing changed: nothing loaded
    assert AuditEvent.objects.count() == audited
    number = _number(serial=954)
    sent.client(sent.rektor).post(
        reverse("concerns:new"),
        {
            **REPORT,
            "personal_number": f"{number[:8]}-{number[8:]}",
            "child_first_name": "Ines",
            "child_last_name": "Exempelsdotter",
        },
    )
    new = Report.objects.get(reporter_user=sent.rektor.user)
    fresh = client.get(url)
    assert fresh.status_code == 200
    assert new.reference in fresh.text and 'id="intake-live"' in fresh.text
    assert "<html" not in fresh.text  # a fragment, swapped in place
    # Only the intake has the dashboard, live or not.
    assert sent.client(sent.teacher).get(url).status_code == 404
