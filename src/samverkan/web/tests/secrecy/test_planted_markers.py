"""Planted markers (issue 11): one world (``planted.build``, once for the class) with a
unique marker in every text field of every kind of record and in the texts the product
makes from them. For each consent state (``planted.set_state``, undone after each test)
every page and every API GET operation is requested (``crawl``) by viewers without a
ground, and no marker they have no ground for may appear in a body (HTML, JSON, .ics, a
PDF's text, a workbook), or a header:

- BUP: without a ground for anything about the child (none, revoked, expired, lapsed by
  a change of context); with a consent over some categories (only what it covers: over
  the social situation alone, nothing of the SIP); with a valid consent (never the
  report kept from the guardians, the escalation, the handover, the checklist); with
  protected identity (never an address or the class);
- the school and social services with protected identity (no recorded need), and never
  the earlier report from the other municipality, its feedback or its evaluations;
- the receiving school's teacher, another school, the family of another child (in the
  portal), who have no ground in any state.
"""

from __future__ import annotations

import datetime
import re

from django.test import TestCase
from django.utils import timezone

from samverkan.people import services as people_services

from . import planted
from .crawl import crawl, markers_in, seen, urls_for, where
from .planted import (
    CONSENT_MARKERS,
    EARLIER_REPORT_MARKERS,
    FOR_ANY_STAFF,
    GOVERNANCE_MARKERS,
    NAME_MARKERS,
    NOT_FOR_STAFF,
    PARTIAL_CATEGORIES,
    PLAN_MARKERS,
    PROTECTED_MARKERS,
    REGISTRANT_MARKERS,
    RESPONDENTS,
    SOCIAL_ONLY_CATEGORIES,
    SURVEY_TEXTS,
)
from .planted_common import another_family

# What BUP never has a ground for, in any state.
NEVER_FOR_BUP = NOT_FOR_STAFF - NAME_MARKERS - CONSENT_MARKERS - PLAN_MARKERS
NEVER_FOR_BUP -= PROTECTED_MARKERS | {"Itemtitle", "Itemtext"}
# Under the partial consent (efforts and the social situation): the consent, the SIP
# and what was written on it, who the child and the guardians are. Not the meeting item
# (school situation), nor the revocation note of the earlier consent.
PARTIAL_ALLOWS = CONSENT_MARKERS | PLAN_MARKERS | NAME_MARKERS | FOR_ANY_STAFF
# Under a consent over the social situation alone: who the child is and the consent.
SOCIAL_ONLY_ALLOWS = CONSENT_MARKERS | NAME_MARKERS | FOR_ANY_STAFF
# The chronology's texts (decision 0347): the feedback to a reporter, each side's
# evaluation of the cooperation, a SIP version's comment.
CHRONOLOGY_TEXTS = {"Feedbacktext", "Earlierfeedback", "Evalschool", "Evalsocial"}
CHRONOLOGY_TEXTS |= {"Versioncomment"}


class PlantedMarkers(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = planted.build()

    def _crawl(self, who, state, **kwargs):
        leaks, errors = crawl(self.world.client(who), self.world.ids, **kwargs)
        self.assertEqual(errors, [], f"{state}, {who}: server errors")
        return leaks

    def test_the_markers_are_really_there_for_those_with_a_ground(self):
        """So a silent crawl cannot pass: the school (which wrote them) reads the child's
        records, BUP reads the SIP under the valid consent, the receiving rektor the
        handover, the organiser who registered, the agreement's owner the attachment."""
        w, ids = self.world, self.world.ids
        planted.set_state(w, "valid")
        self.assertTrue(planted.bup_has_a_grant(w))
        leaks = self._crawl("rektor", "valid")
        self.assertGreater(len(urls_for(w.client("rektor"), ids)), 150)
        school_sees = seen(leaks)
        for field in ("Guardianfirst", "Childfirst", "Exclusions", "Worry", "Itemtitle"):
            self.assertIn(field, school_sees)
        self.assertLessEqual(PLAN_MARKERS - {"Effect"}, school_sees)
        # The school has no ground for the other municipality's report (decision 0347).
        self.assertEqual(where(leaks, EARLIER_REPORT_MARKERS), {})
        self.assertLessEqual({"Escalationtitle", "Checklistitem", "Handovernote"}, school_sees)
        self.assertIn("Need", markers_in(w.client("lakare").get(f"/sip/{ids['plan']}/")))
        receiver = w.client("new_rektor").get(f"/overlamningar/{ids['handover']}/")
        self.assertIn("Handoveritem", markers_in(receiver))
        organiser = w.client("admin").get(f"/kunskap/motesplatser/{ids['event']}/")
        self.assertLessEqual(REGISTRANT_MARKERS | {"Eventtitle"}, markers_in(organiser))
        owner = w.client("owner").get(f"/avtal/{ids['agreement']}/bilagor/{ids['attachment']}/")
        self.assertLessEqual({"Attachmentname", "Attachmentbody"}, markers_in(owner))
        social = w.client("socsek").get(f"/anmalan/{ids['report']}/")
        self.assertLessEqual({"Worry", "Donotinform"}, markers_in(social))

    def _no_ground(self, state):
        planted.set_state(self.world, state)
        self.assertFalse(planted.bup_has_a_grant(self.world), state)
        leaks = self._crawl("lakare", state)
        self.assertEqual(where(leaks, NOT_FOR_STAFF), {}, f"{state}: markers reached BUP")

    def test_none(self):
        self._no_ground("none")

    def test_revoked(self):
        self._no_ground("revoked")

    def test_expired(self):
        self._no_ground("expired")

    def test_lapsed_by_a_change_of_context(self):
        self._no_ground("lapsed")

    def test_a_valid_consent_lets_nothing_of_the_report_or_the_others_pass(self):
        """The do-not-inform state: BUP, which works with the family under a valid
        consent, learns nothing of the report kept from the guardians, nor of what the
        school shares with social services only, the handover or the checklist."""
        planted.set_state(self.world, "valid")
        self.assertTrue(planted.bup_has_a_grant(self.world))
        leaks = self._crawl("lakare", "valid")
        self.assertGreaterEqual(seen(leaks), PLAN_MARKERS - {"Effect"})
        self.assertEqual(where(leaks, NEVER_FOR_BUP), {})

    def test_a_partial_consent_lets_only_its_categories_pass(self):
        planted.set_state(self.world, "partial")
        self.assertEqual(PARTIAL_CATEGORIES, ["insatser", "social_situation"])
        leaks = self._crawl("lakare", "partial")
        self.assertGreaterEqual(seen(leaks), PLAN_MARKERS - {"Effect"})
        self.assertEqual(where(leaks, seen(leaks) - PARTIAL_ALLOWS), {})

    def test_a_consent_over_the_social_situation_alone_shows_nothing_of_the_sip(self):
        """Nor the SIP's versions in the chronology (decision 0347)."""
        planted.set_state(self.world, "social_only")
        self.assertEqual(SOCIAL_ONLY_CATEGORIES, ["social_situation"])
        self.assertTrue(planted.bup_has_a_grant(self.world))
        leaks = self._crawl("lakare", "social_only")
        self.assertGreaterEqual(seen(leaks), {"Childfirst", "Exclusions", "Childviews"})
        self.assertEqual(where(leaks, seen(leaks) - SOCIAL_ONLY_ALLOWS), {})

    def test_the_chronology_shows_feedback_evaluations_and_versions_to_those_with_a_ground(
        self,
    ):
        """Decision 0347. The feedback reaches both sides of its report (the former
        preschool that reported and the social services that answered; the school and
        social services of the child's municipality for the school's report), an
        evaluation only the organisation that wrote it, a SIP version's comment whoever
        reads the SIP: on the page, each kind's filter and the PDF. The school and
        social services have no ground for the other municipality's report."""
        w, child = self.world, self.world.ids["child"]
        planted.set_state(w, "valid")
        url = f"/barn/{child}/kronologi/"
        expected = {
            "preschool": {"Earlierfeedback", "Evalschool"},
            "social_b": {"Earlierfeedback", "Evalsocial"},
            "rektor": {"Feedbacktext", "Versioncomment"},
            "socsek": {"Feedbacktext"},
            "lakare": {"Versioncomment"},
        }
        shown = {}
        for who in expected:
            client = w.client(who)
            for suffix in ("", "?format=pdf"):
                shown[(who, suffix)] = markers_in(client.get(url + suffix)) & CHRONOLOGY_TEXTS
        self.assertEqual(
            shown, {(who, s): found for who, found in expected.items() for s in ("", "?format=pdf")}
        )
        for who, kind, found in (
            ("preschool", "report_feedback", {"Earlierfeedback"}),
            ("preschool", "report_evaluation", {"Evalschool"}),
            ("social_b", "report_evaluation", {"Evalsocial"}),
            ("lakare", "plan_version", {"Versioncomment"}),
        ):
            page = w.client(who).get(f"{url}?typ={kind}")
            self.assertEqual(markers_in(page) & CHRONOLOGY_TEXTS, found, (who, kind))
        # The preschool reads its own report (and none of the school's records).
        report = w.client("preschool").get(f"/anmalan/{w.ids['earlier_report']}/")
        self.assertIn("Earlierworry", markers_in(report))

    def test_a_protected_address_reaches_nobody_without_a_recorded_need(self):
        """The child and the guardian have protected identity. BUP (a valid consent),
        the school (its own pupil, no function for protected details) and social
        services (its own matter, but no need recorded) never see an address; the class
        is the school's own knowledge and reaches nobody else."""
        planted.set_state(self.world, "protected")
        failures = {}
        for who in ("lakare", "mentor", "rektor", "socsek"):
            leaks = self._crawl(who, "protected")
            forbidden = PROTECTED_MARKERS - (
                {"Classname", "Schoolyear"} if who in {"mentor", "rektor"} else set()
            )
            if who == "lakare":
                forbidden |= NEVER_FOR_BUP
            else:  # the other municipality's report (decision 0347)
                forbidden |= EARLIER_REPORT_MARKERS
            if where(leaks, forbidden):
                failures[who] = where(leaks, forbidden)
        self.assertEqual(failures, {})

    def test_the_protected_address_is_really_planted(self):
        """Social services records why it needs the protected details: then, and only for
        it, the child's address is shown (so the test above can fail)."""
        w = self.world
        planted.set_state(w, "protected")
        people_services.involvement_record_protected_need(
            actor=w.actor("socsek"),
            involvement_public_id=w.ids["involvement"],
            need="Placering utreds; adressen behövs för hembesök.",
        )
        page = w.client("socsek").get(f"/barn/{w.ids['child']}/")
        self.assertIn("Childstreet", markers_in(page))
        self.assertNotIn(
            "Childstreet", markers_in(w.client("mentor").get(f"/barn/{w.ids['child']}/"))
        )

    def test_no_marker_reaches_those_who_never_have_a_ground(self):
        """The receiving school's teacher (a handover goes to the rektor), another school
        and the family of another child, with the consent valid (their lack of a ground
        does not depend on it)."""
        w = self.world
        planted.set_state(w, "valid")
        failures = {}
        for who in ("new_teacher", "outsider"):
            leaks = self._crawl(who, "valid")
            if where(leaks, NOT_FOR_STAFF):
                failures[who] = where(leaks, NOT_FOR_STAFF)
        family = another_family(w)
        self.assertGreater(len(urls_for(family, w.ids, api=False, under="familj/")), 5)
        leaks, errors = crawl(family, w.ids, api=False, under="familj/")
        self.assertEqual(errors, [])
        if where(leaks, NOT_FOR_STAFF | FOR_ANY_STAFF):
            failures["another family"] = where(leaks, NOT_FOR_STAFF | FOR_ANY_STAFF)
        self.assertEqual(failures, {})

    def test_no_childs_or_guardians_name_on_governance_pages_or_exports(self):
        """The strategy plan, its goals, activities, indicators and follow-up report are
        not personal data, but made from the same records: the child's name (and the
        guardians') never appears there, in any format."""
        w, ids = self.world, self.world.ids
        strategist = w.client("strategist")
        plan, report = ids["strategy"], ids["follow_up"]
        today = timezone.localdate()
        period = f"?period_start={today - datetime.timedelta(days=90)}&period_end={today}"
        urls = [
            "/strategi/",
            "/strategi/lagesbild/" + period,
            "/strategi/lagesbild/lagesbild.csv" + period,
            "/strategi/lagesbild/lagesbild.xlsx" + period,
            f"/strategi/{plan}/",
            f"/strategi/{plan}/rapport/{report}/",
            f"/strategi/{plan}/rapport/{report}/rapport.pdf",
            f"/strategi/{plan}/rapport/{report}/rapport.xlsx",
            "/strategi/enkater/",
            f"/strategi/enkater/{ids['survey']}/",
        ]
        shown = set()
        for url in urls:
            response = strategist.get(url)
            self.assertEqual(response.status_code, 200, url)
            found = markers_in(response)
            self.assertFalse(found & NAME_MARKERS, url)
            shown |= found
        self.assertLessEqual(GOVERNANCE_MARKERS - {"Activitydescription"}, shown)
        self.assertTrue(shown & SURVEY_TEXTS)  # the strategy group reads the free texts

    def test_survey_free_text_is_shown_in_aggregate_never_with_who_answered(self):
        w, survey = self.world, self.world.ids["survey"]
        strategist = w.client("strategist")
        urls = [f"/strategi/enkater/{survey}/"] + [
            f"/strategi/enkater/{survey}/diagram/{kind}.svg" for kind in ("typ", "tid")
        ]
        shown = set()
        for url in urls:
            found = markers_in(strategist.get(url))
            shown |= found & SURVEY_TEXTS
            self.assertFalse(found & RESPONDENTS, url)
        self.assertEqual(shown, SURVEY_TEXTS)
        # Nobody outside the strategy group reads the answers.
        for who in ("outsider", "rektor"):
            page = w.client(who).get(f"/strategi/enkater/{survey}/")
            self.assertFalse(markers_in(page) & (SURVEY_TEXTS | RESPONDENTS), who)

    def test_a_guardian_extract_does_not_reveal_the_secret_report(self):
        """A guardian asks social services which of its units read the child's data.
        Social services learned of the child by the report kept from the guardians;
        every row of its units would tell the guardian that. Reviewed as proposed (the
        rows after the report withheld), the extract shows none of them."""
        w = self.world
        client = w.client("granskare_soc")
        drafted = client.post("/logg/utdrag/", {"personnummer": w.child.personal_number})
        self.assertEqual(drafted.status_code, 302, drafted.content.decode()[-2000:])
        review_url = drafted["Location"]
        page = client.get(review_url).content.decode()
        self.assertIn("QxzqSocialunit", page)  # the reviewer sees every row
        proposed = re.findall(r'name="withhold" value="(\d+)"[^>]*checked', page)
        self.assertTrue(proposed, "the rows after the report are proposed for withholding")
        saved = client.post(
            review_url,
            {"withhold": proposed, "reason": "Sekretess mot vårdnadshavaren, OSL 26 kap. 1 §."},
        )
        self.assertEqual(saved.status_code, 302)
        printed = client.get(review_url + "utskrift/")
        self.assertEqual(printed.status_code, 200)
        self.assertNotIn("Socialunit", markers_in(printed))
        self.assertNotIn("Socialunit", markers_in(client.get("/logg/utdrag/")))
