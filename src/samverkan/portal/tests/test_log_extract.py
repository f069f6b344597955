"""Who has read about us: the family sees the rows of each organisation's reviewed
extract (never a draft, never a withheld row, never an organisation under
do-not-inform), and a request reaches the auditor function's inbox."""

from __future__ import annotations

from django.apps import apps
from django.utils import timezone

from samverkan.audit import extracts
from samverkan.directory.tests.factories import MembershipFactory, actor_of
from samverkan.notify import selectors as inbox
from samverkan.people.selectors import child_get

from .conftest import portal_client

Report = apps.get_model("concerns", "Report")


def _reviewed_extract(family, *, withhold_all: bool = False):
    auditor = MembershipFactory(code="granskare", organisation=family.bup)
    child_get(family.staff(family.doctor), family.child.public_id)  # a logged read
    extract = extracts.extract_draft(
        actor=actor_of(auditor), personal_number=family.child.personal_number
    )
    withhold = list(extract.row_ids) if withhold_all else []
    extracts.extract_review(
        actor=actor_of(auditor),
        public_id=extract.public_id,
        withhold_ids=withhold,
        reason="Prövat; inget behöver undantas." if not withhold else "Undantas enligt OSL.",
    )
    return auditor, extract


def _log(client, family) -> str:
    response = client.get(f"/familj/barn/{family.child.public_id}/logg/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_draft_is_not_shown_and_a_reviewed_extract_is(family):
    client = portal_client(family.accounts[0])
    auditor = MembershipFactory(code="granskare", organisation=family.bup)
    child_get(family.staff(family.doctor), family.child.public_id)
    draft = extracts.extract_draft(
        actor=actor_of(auditor), personal_number=family.child.personal_number
    )
    assert "BUP Norr" not in _log(client, family)
    assert "Det finns inget granskat loggutdrag" in _log(client, family)
    extracts.extract_review(
        actor=actor_of(auditor), public_id=draft.public_id, withhold_ids=[], reason="Prövat."
    )
    page = _log(client, family)
    assert "BUP Norr" in page.split("<tbody>", 1)[1]


def test_withheld_rows_and_do_not_inform_organisations_stay_out(family):
    _reviewed_extract(family, withhold_all=True)
    client = portal_client(family.accounts[0])
    page = _log(client, family)
    assert "BUP Norr" not in page
    assert "undant" not in page.lower()  # no sign that rows were withheld
    Report.objects.create(
        reference="OA-TEST-2",
        source="professional",
        channel="written",
        child=family.child,
        reporter_organisation=family.school,
        reporter_name="Rektor Test",
        receiving_organisation=family.bup,
        worry="Oro",
        urgency="normal",
        guardians_informed="no",
        do_not_inform_guardians=True,
        do_not_inform_reason="Skäl.",
        received_at=timezone.now(),
    )
    _reviewed_extract(family)
    assert "BUP Norr" not in _log(client, family)


def test_a_request_reaches_the_auditor_functions_inbox(family):
    auditor = MembershipFactory(code="granskare", organisation=family.bup)
    client = portal_client(family.accounts[0])
    response = client.post(f"/familj/barn/{family.child.public_id}/logg/begar/")
    assert response.status_code == 302
    titles = [r.shown.title for r in inbox.inbox_page(actor_of(auditor)).items]
    assert any("Familjen begär ett loggutdrag" in t for t in titles)
    # The doctor at BUP holds no auditor function: nothing for them.
    titles = [r.shown.title for r in inbox.inbox_page(family.staff(family.doctor)).items]
    assert not any("loggutdrag" in t for t in titles)
