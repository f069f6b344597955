"""Every text that tells another organisation whether a ground holds is built for that
organisation's own domain (issue 11): a refusal from the disclosure pipeline, a sharing
decision, a consent's badge, explanation and history, the inbox and the API's reason.
The full account (who revoked, that social services' matter changed character) reaches
only the organisations whose records hold it; every other party gets the neutral text.
``test_gate.py`` keeps the full account out of every other module; this test asks each
producer, as the holder (who must get the detail, so the test can fail) and as every
other party.
"""

from __future__ import annotations

import contextlib

import pytest

from samverkan.access import passing, pipeline
from samverkan.consent import selectors as consent_selectors
from samverkan.consent import services as consent_services
from samverkan.core.errors import NotFound
from samverkan.notify import selectors as notify_selectors
from samverkan.people import services as people_services

from .crawl import marker
from .world import secrecy_world

pytestmark = pytest.mark.django_db

REVOKED_DETAIL = ("återkallades", "Guardianfirst", "Guardianlast", "Revocationnote")
LAPSED_DETAIL = ("ändrat karaktär", "frivilliga insatser", "Contextreason")


def _world(state: str):
    world = secrecy_world(guardian=(marker("Guardianfirst"), marker("Guardianlast")))
    if state == "revoked":
        consent = world.consent([world.school, world.bup])
        consent_services.consent_revoke(
            actor=world.actor("rektor"), consent=consent, note=marker("Revocationnote")
        )
        return world, consent
    _, matter = people_services.child_register(
        actor=world.actor("socsek"),
        personal_number=world.child.personal_number,
        first_name=world.child.first_name,
        last_name=world.child.last_name,
        context="voluntary_support",
    )
    consent = world.consent([world.school, world.social, world.bup])
    people_services.involvement_change_context(
        actor=world.actor("socsek"),
        involvement_public_id=matter.public_id,
        context="investigation",
        reason=marker("Contextreason"),
    )
    consent_services.consents_sweep()  # the notices of the lapse
    return world, consent


def _texts(world, who: str, consent) -> list[str]:
    """What each producer tells ``who`` about the consent and the child."""
    actor = world.actor(who)
    texts = []
    for result in pipeline.disclose(actor, "read", [world.child]):
        texts.append("" if result.shown else str(result.explanation))
    for source in (world.school, world.social, world.bup):
        if source.pk != actor.organisation_id:
            decision = passing.decide(
                viewer_organisation_id=actor.organisation_id,
                child=world.child,
                from_organisation_id=source.pk,
                to_organisation_id=actor.organisation_id,
                category="insatser",
                purpose="sip",
            )
            texts.append(str(decision.reason))
    try:
        view = consent_selectors.consent_get(actor, consent.public_id)
    except NotFound:
        view = None
    views = [view] if view else []
    with contextlib.suppress(NotFound):
        views += consent_selectors.consents_for_child(actor, world.child)
    for v in views:
        texts += [str(v.status), str(v.explanation)]
        texts += [f"{h.label} {h.text} {h.actor_name}" for h in v.history]
    for row in notify_selectors.inbox_page(actor).items:
        texts.append(str(row.shown.title))
    client = world.client(who)
    for url in (f"/api/consents/{consent.public_id}", f"/api/children/{world.child.public_id}"):
        texts.append(client.get(url).content.decode())
    return texts


def _found(texts: list[str], words) -> set[str]:
    return {w for w in words for t in texts if w in t}


@pytest.mark.parametrize(
    ("state", "holder", "others", "detail"),
    [
        ("revoked", "rektor", ["lakare"], REVOKED_DETAIL),
        ("lapsed", "socsek", ["rektor", "mentor", "lakare"], LAPSED_DETAIL),
    ],
)
def test_the_full_account_reaches_only_its_holder(state, holder, others, detail):
    world, consent = _world(state)
    assert _found(_texts(world, holder, consent), detail), "the holder is told why"
    for who in others:
        texts = _texts(world, who, consent)
        assert not _found(texts, detail), (who, [t for t in texts if _found([t], detail)])
        # A neutral refusal still says a ground is missing and the lawful next step.
        assert any("Be vårdnadshavarna" in t for t in texts), who
