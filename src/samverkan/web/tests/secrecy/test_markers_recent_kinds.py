"""Planted markers in the record kinds added late (issue 11): knowledge events and their
registrations, the strategy plan and its follow-up reports, survey answers, agreements
and their attachments, handovers, the chronology (every kind of event, with the texts of
feedback to a reporter, evaluations of the cooperation and plan versions) and the
family's own records on a SIP. The world (``recent_kinds.build``) is built once for the class;
the consent between the school and BUP is put into each state in place.

Who has no ground, in every state:
- the receiving school's teacher (a handover goes to the rektor, who acknowledges it),
- a third organisation (another school of the municipality),
- the family of another child (in the portal),
- and BUP, in the states where its consent does not hold (none, revoked, expired,
  lapsed by a change of context), and where it covers the social situation only
  (partial: BUP reads the child and the consent, nothing else).
None of them may receive a marker about the child: not in a body, a header, a PDF's text,
a calendar file or a workbook.
"""

from __future__ import annotations

import datetime

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from samverkan.people import chronology

from .recent_kinds import (
    AGREEMENT_MARKERS,
    BUP_HAS_NO_GROUND,
    CHILD_MARKERS,
    EARLIER_REPORT_MARKERS,
    EVENT_MARKERS,
    GOVERNANCE_MARKERS,
    NAME_MARKERS,
    PARTIAL_ALLOWED,
    REGISTRANT_MARKERS,
    RESPONDENTS,
    STATES,
    SURVEY_TEXTS,
    another_family,
    build,
    bup_has_a_grant,
    markers_in,
    set_state,
)

# The staff pages about a child, an agreement, an event, a handover (and the API).
STAFF_PREFIXES = (
    "barn/",
    "samtycken/barn/",
    "sip/",
    "overlamningar/",
    "kunskap/motesplatser/",
    "kunskap/barn/",
    "avtal/",
    "anmalan/barn/",
    "inkorg/",
    "api/children/",
    "api/plans/",
)
SKIP = ("/ny/", "/andra/", "/ta-bort/", "/stall-in/", "/narvaro/", "/anmal/", "/avanmal/")


class RecentKindsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build()

    def _urls(self, *, family=False) -> list[str]:
        """The pages, files and API operations that show the planted kinds."""
        ids = self.world.ids
        child, plan = ids["child"], ids["plan"]
        if family:
            return [
                "/familj/",
                f"/familj/barn/{child}/",
                f"/familj/barn/{child}/logg/",
                f"/familj/plan/{plan}/",
                f"/familj/plan/{plan}/plan.pdf",
            ]
        agreement = f"/avtal/{ids['agreement']}/"
        urls = [
            "/",
            reverse("notify:inbox"),
            "/barn/",
            f"/barn/{child}/",
            f"/barn/{child}/kronologi/",
            f"/barn/{child}/kronologi/?format=pdf",
            f"/barn/{child}/vardnadshavare/",
            f"/samtycken/barn/{child}/",
            f"/sip/barn/{child}/",
            f"/sip/{plan}/",
            f"/sip/{plan}/plan/",
            f"/sip/{plan}/plan.pdf",
            f"/sip/{plan}/kallelse.ics",
            f"/sip/{plan}/dagordning/",
            f"/sip/{plan}/uppfoljning/",
            f"/overlamningar/barn/{child}/",
            f"/overlamningar/{ids['handover']}/",
            "/kunskap/motesplatser/",
            f"/kunskap/motesplatser/{ids['event']}/",
            "/avtal/",
            agreement,
            agreement + "historik/",
            agreement + "dokument.pdf",
            agreement + "bilagor/",
            agreement + f"bilagor/{ids['attachment']}/",
            f"/api/children/{child}",
            f"/api/children/{child}/plans",
            f"/api/children/{child}/consents",
            f"/api/plans/{plan}",
            f"/api/plans/{plan}/fhir",
        ]
        urls += [f"/barn/{child}/kronologi/?typ={kind}" for kind, _ in chronology.kinds()]
        urls += [f"/anmalan/barn/{child}/", f"/anmalan/{ids['earlier_report']}/"]
        if "report" in ids:
            urls.append(f"/anmalan/{ids['report']}/")
        return urls

    def _leaks(self, client, urls, forbidden) -> dict[str, set[str]]:
        client.raise_request_exception = False
        found = {}
        for url in urls:
            response = client.get(url)
            self.assertLess(response.status_code, 500, url)
            leaked = markers_in(response) & forbidden
            if leaked:
                found[url] = leaked
        return found

    def test_the_markers_are_really_there_for_those_with_a_ground(self):
        """So the crawl below can fail: the school reads the child, the SIP with the
        family's records, the chronology; BUP reads the SIP under the valid consent;
        the receiving rektor reads the handover; the organiser sees who registered."""
        w, ids = self.world, self.world.ids
        set_state(w, "valid")
        self.assertTrue(bup_has_a_grant(w))
        school = w.client("rektor")
        seen = set()
        for url in (
            f"/sip/{ids['plan']}/",
            f"/barn/{ids['child']}/kronologi/",
            f"/overlamningar/{ids['handover']}/",
            f"/samtycken/barn/{ids['child']}/",
        ):
            seen |= markers_in(school.get(url))
        self.assertLessEqual({"Important", "Answermessage", "Ownwords", "Need"}, seen)
        self.assertLessEqual({"Childfirst", "Guardianfirst", "Handovernote"}, seen)
        self.assertIn("Need", markers_in(w.client("lakare").get(f"/sip/{ids['plan']}/")))
        receiver = w.client("new_rektor").get(f"/overlamningar/{ids['handover']}/")
        self.assertIn("Handoveritem", markers_in(receiver))
        organiser = w.client("admin").get(f"/kunskap/motesplatser/{ids['event']}/")
        self.assertLessEqual(REGISTRANT_MARKERS | {"Eventtitle"}, markers_in(organiser))
        owner = w.client("owner").get(f"/avtal/{ids['agreement']}/bilagor/{ids['attachment']}/")
        self.assertLessEqual({"Attachmentname", "Attachmentbody"}, markers_in(owner))

    def test_the_chronology_shows_feedback_evaluations_and_versions_to_those_with_a_ground(self):
        """The texts of the chronology's feedback, evaluations and plan versions reach
        those with a ground there: the feedback both sides of the report (the former
        preschool that reported, the social services that answered), an evaluation only
        the organisation that wrote it, a plan version whoever reads the plan; in the
        page, each kind's filter and the PDF. The school, with no ground for the other
        municipality's report, sees none of it."""
        w, child = self.world, self.world.ids["child"]
        set_state(w, "valid")
        url = f"/barn/{child}/kronologi/"
        new_kinds = {"Feedbacktext", "Evalschool", "Evalsocial", "Versioncomment"}
        reporter = markers_in(w.client("preschool").get(url)) & new_kinds
        self.assertEqual(reporter, {"Feedbacktext", "Evalschool"})
        social = markers_in(w.client("social_b").get(url)) & new_kinds
        self.assertEqual(social, {"Feedbacktext", "Evalsocial"})
        school = w.client("rektor")
        self.assertEqual(markers_in(school.get(url)) & new_kinds, {"Versioncomment"})
        self.assertIn("Versioncomment", markers_in(w.client("lakare").get(url)))
        printed = markers_in(w.client("preschool").get(url + "?format=pdf"))
        self.assertLessEqual({"Feedbacktext", "Evalschool"}, printed)
        for who, kind, expected in (
            ("preschool", "report_feedback", "Feedbacktext"),
            ("preschool", "report_evaluation", "Evalschool"),
            ("rektor", "plan_version", "Versioncomment"),
        ):
            found = markers_in(w.client(who).get(f"{url}?typ={kind}"))
            self.assertEqual(found & new_kinds, {expected})

    def test_no_marker_reaches_a_viewer_without_a_ground_in_any_consent_state(self):
        w = self.world
        staff = {who: w.client(who) for who in ("new_teacher", "outsider", "lakare", "rektor")}
        family = another_family(w)
        # What a member of staff of any organisation may read: the event (not who
        # registered), and for the party to the agreement (not the third school).
        not_for_staff = CHILD_MARKERS | REGISTRANT_MARKERS | AGREEMENT_MARKERS
        not_for_family = not_for_staff | EVENT_MARKERS | GOVERNANCE_MARKERS
        failures = {}
        for state in STATES:  # do_not_inform last: it files a report
            set_state(w, state)
            self.assertEqual(bup_has_a_grant(w), state not in BUP_HAS_NO_GROUND, state)
            # The school has a ground for its own records, none for the other
            # municipality's report: its feedback and evaluations never reach it.
            viewers = {
                "new_teacher": not_for_staff,
                "outsider": not_for_staff,
                "rektor": EARLIER_REPORT_MARKERS,
            }
            if state in BUP_HAS_NO_GROUND:
                viewers["lakare"] = not_for_staff
            elif state == "partial":
                viewers["lakare"] = not_for_staff - PARTIAL_ALLOWED
            staff_urls = self._urls()
            for who, forbidden in viewers.items():
                leaks = self._leaks(staff[who], staff_urls, forbidden)
                if leaks:
                    failures[(state, who)] = leaks
            leaks = self._leaks(family, self._urls(family=True), not_for_family)
            if leaks:
                failures[(state, "another family")] = leaks
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
        seen = set()
        for url in urls:
            response = strategist.get(url)
            self.assertEqual(response.status_code, 200, url)
            found = markers_in(response)
            self.assertFalse(found & NAME_MARKERS, url)
            seen |= found
        self.assertLessEqual(GOVERNANCE_MARKERS - {"Activitydescription"}, seen)
        self.assertTrue(seen & SURVEY_TEXTS)  # the strategy group reads the free texts

    def test_survey_free_text_is_shown_in_aggregate_never_with_who_answered(self):
        w, survey = self.world, self.world.ids["survey"]
        strategist = w.client("strategist")
        urls = [f"/strategi/enkater/{survey}/"] + [
            f"/strategi/enkater/{survey}/diagram/{kind}.svg" for kind in ("typ", "tid")
        ]
        shown = set()
        for url in urls:
            response = strategist.get(url)
            found = markers_in(response)
            shown |= found & SURVEY_TEXTS
            self.assertFalse(found & RESPONDENTS, url)
        self.assertEqual(shown, SURVEY_TEXTS)
        # Nobody outside the strategy group reads the answers.
        for who in ("outsider", "rektor"):
            page = w.client(who).get(f"/strategi/enkater/{survey}/")
            self.assertFalse(markers_in(page) & (SURVEY_TEXTS | RESPONDENTS), who)
