"""The checklist of the concurrency tests (issue 13, "Done when": twenty identical
creations at once to each create endpoint). Every route whose view takes a POST (read
from the URLconf as the form fuzz reads it, ``posting_routes``) and every writing
operation of the API is one of:

- ``RACED``: a creation, raced twenty times at once by the named test;
- ``NOT_A_CREATION``: it changes, ends or removes a record that exists, searches, or
  leads in or out, and why;
- ``NOT_YET_RACED``: a creation that no concurrency test races yet (the gap, in the
  open; each goes to ``RACED`` when its test is written).

A new POST route or API operation in none of them fails ``test_every_post_route_...``,
and a name in ``RACED`` that is no test fails too. Runs on both databases (it reads
the URLconf only)."""

from __future__ import annotations

import importlib

from samverkan.web.tests.formfuzz import posting_routes

_P = "samverkan.core.tests.test_concurrent_people_and_consent"
_C = "samverkan.core.tests.test_concurrent_creation"
_F = "samverkan.core.tests.test_concurrent_forms"
_M = "samverkan.core.tests.test_concurrent_more_forms"
_L = "samverkan.core.tests.test_concurrent_later_states"
_G = "samverkan.core.tests.test_concurrent_admin_forum_portal"

RACED: dict[str, tuple[str, str]] = {
    "anmalan/ny/": (_C, "test_twenty_identical_reports_from_the_form_file_one"),
    "anmalan/privatperson/": (_M, "test_twenty_identical_public_reports_file_one"),
    "anmalan/<uuid:report_id>/tillagg/": (
        _M,
        "test_twenty_identical_creations_on_a_report_make_one",
    ),
    "anmalan/<uuid:report_id>/skyddsbedomning/": (
        _M,
        "test_twenty_identical_creations_on_a_report_make_one",
    ),
    "kunskap/checklista/punkt/": (_C, "test_twenty_identical_checklist_items_make_one"),
    "forum/mote/<uuid:meeting_id>/punkt/": (
        _C,
        "test_twenty_identical_agenda_items_from_the_form_make_one",
    ),
    "avtal/<uuid:agreement_id>/bilagor/": (_C, "test_twenty_identical_attachments_make_one"),
    "overlamningar/barn/<uuid:child_id>/ny/": (
        _C,
        "test_twenty_identical_handover_packets_make_one",
    ),
    "familj/plan/<uuid:plan_id>/viktigt/": (
        _C,
        "test_twenty_identical_words_from_the_family_portal_make_one",
    ),
    "barn/<uuid:public_id>/vardnadshavare/": (_F, "test_twenty_identical_guardians_make_one"),
    "barn/registrera/": (
        _F,
        "test_twenty_identical_registrations_of_a_child_make_one_child_and_one_matter",
    ),
    "forum/<uuid:forum_id>/boka/": (_F, "test_twenty_identical_bookings_of_a_meeting_make_one"),
    "kunskap/motesplatser/ny/": (_F, "test_twenty_identical_knowledge_events_make_one"),
    "kunskap/motesplatser/<uuid:public_id>/anmal/": (
        _F,
        "test_twenty_registrations_for_one_event_from_one_person_make_one",
    ),
    "rattsliga-grunder/andringar/ny/": (
        _F,
        "test_twenty_identical_proposals_to_change_a_legal_ground_make_one",
    ),
    "avtal/nytt/": (_F, "test_twenty_identical_agreements_make_one"),
    "avtal/<uuid:agreement_id>/synpunkt/": (
        _M,
        "test_twenty_identical_comments_on_an_agreement_make_one",
    ),
    # mal, fokusomrade, aktivitet (indikator and rapport: further down)
    "strategi/<uuid:plan_id>/ny/<slug:what>/": (
        _F,
        "test_twenty_identical_parts_of_a_strategy_plan_make_one",
    ),
    "strategi/": (_F, "test_twenty_identical_strategy_plans_make_one"),
    "strategi/enkater/": (_F, "test_twenty_identical_surveys_make_one"),
    "strategi/enkater/<uuid:survey_id>/svara/": (
        _F,
        "test_twenty_answers_to_a_survey_from_one_person_store_one",
    ),
    # fraga (ta-bort-fraga, oppna, stang change the survey)
    "strategi/enkater/<uuid:survey_id>/andra/<slug:what>/": (
        _M,
        "test_twenty_identical_questions_to_a_survey_make_one",
    ),
    "familj/plan/<uuid:plan_id>/svar/": (
        _F,
        "test_twenty_identical_answers_to_a_sip_meeting_from_the_portal_make_one",
    ),
    "samtycken/barn/<uuid:child_id>/nytt/": (_M, "test_twenty_identical_consents_make_one"),
    "sip/barn/<uuid:child_id>/ny/": (_M, "test_twenty_identical_starts_of_a_sip_make_one"),
    **{
        f"kunskap/{segment}/ny/": (_M, "test_twenty_identical_knowledge_entries_make_one")
        for segment in ("aktorer", "begrepp", "faktorer", "forslag", "metoder")
    },
    **dict.fromkeys(
        (
            "administration/huvudman/ny/",
            "administration/organisation/ny/",
            "administration/organisation/<uuid:public_id>/enhet/ny/",
            "administration/organisation/<uuid:public_id>/funktion/ny/",
            "administration/organisation/<uuid:public_id>/kontaktfunktion/ny/",
        ),
        (_M, "test_twenty_identical_creations_in_the_administration_make_one"),
    ),
    "forum/nytt/": (_M, "test_twenty_identical_forums_make_one"),
    # A child's people, consents and plans; a contact function's holder; a retention hold.
    "anmalan/<uuid:report_id>/mote/": (
        _P,
        "test_twenty_identical_meetings_with_the_family_make_one",
    ),
    "barn/<uuid:public_id>/vardnadshavare/folkbokforing/": (
        _P,
        "test_twenty_fetches_of_the_guardians_from_the_register_record_them_once",
    ),
    "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/ersatt/": (
        _P,
        "test_twenty_identical_replacements_of_a_guardian_make_one",
    ),
    "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/": (
        _P,
        "test_twenty_identical_links_of_a_foreign_eid_make_one",
    ),
    "barn/<uuid:public_id>/inskrivning/": (_P, "test_twenty_identical_enrolments_make_one"),
    "samtycken/barn/<uuid:child_id>/kan-jag-lamna-ut/": (
        _P,
        "test_twenty_identical_judgements_make_one",
    ),
    "samtycken/<uuid:consent_id>/underskrift/": (
        _P,
        "test_twenty_identical_signatures_by_staff_make_one_per_giver",
    ),
    "familj/samtycke/<uuid:consent_id>/skriv-under/": (
        _P,
        "test_twenty_identical_signatures_in_the_portal_make_one",
    ),
    "sip/barn/<uuid:child_id>/andra-planer/": (_P, "test_twenty_identical_other_plans_make_one"),
    "sip/<uuid:plan_id>/forberedelse/": (
        _P,
        "test_twenty_identical_preparations_of_a_sip_change_it_once",
    ),
    "katalog/kontaktfunktion/<uuid:public_id>/": (
        _P,
        "test_twenty_identical_new_holders_of_a_contact_function_make_one",
    ),
    "administration/gallring/": (_P, "test_twenty_identical_retention_holds_make_one"),
    "anmalan/muntlig/": (_L, "test_twenty_identical_oral_reports_file_one"),
    "anmalan/<uuid:report_id>/aterkoppling/": (
        _L,
        "test_twenty_identical_feedback_statements_make_one",
    ),
    "anmalan/<uuid:report_id>/utvardering/": (
        _L,
        "test_twenty_identical_evaluations_after_closure_make_one",
    ),
    "POST /api/concerns/{concern_id}/feedback": (
        _L,
        "test_twenty_identical_feedback_from_the_api_makes_one",
    ),
    "POST /api/concerns/{concern_id}/additions": (
        _L,
        "test_twenty_identical_additions_from_the_api_make_one",
    ),
    "forum/mote/<uuid:meeting_id>/atgard/": (_L, "test_twenty_identical_action_items_make_one"),
    "forum/mote/<uuid:meeting_id>/rattelse/": (
        _L,
        "test_twenty_identical_corrections_to_approved_minutes_make_one",
    ),
    "forum/mote/<uuid:meeting_id>/utvardering/": (
        _L,
        "test_twenty_identical_evaluations_of_a_meeting_make_one",
    ),
    "sip/<uuid:plan_id>/uppfoljning/": (_L, "test_twenty_identical_follow_ups_of_a_sip_make_one"),
    "sip/<uuid:plan_id>/uppfoljningsmote/": (
        _L,
        "test_twenty_identical_follow_up_meetings_of_a_sip_make_one",
    ),
    "familj/plan/<uuid:plan_id>/egna-ord/": (
        _L,
        "test_twenty_identical_texts_from_the_family_portal_make_one",
    ),
    "familj/plan/<uuid:plan_id>/uppfoljning/viktigt/": (
        _L,
        "test_twenty_identical_texts_from_the_family_portal_make_one",
    ),
    "familj/plan/<uuid:plan_id>/uppfoljning/svar/": (
        _L,
        "test_twenty_identical_answers_to_a_follow_up_meeting_from_the_portal_make_one",
    ),
    "POST /api/children/{child_id}/consents": (
        _L,
        "test_twenty_identical_consents_from_the_api_make_one",
    ),
    "POST /api/plans": (_L, "test_twenty_identical_plans_from_the_api_make_one"),
    "strategi/<uuid:plan_id>/ny/<slug:what>/ indikator": (
        _L,
        "test_twenty_identical_indicators_and_reports_of_a_strategy_plan_make_one",
    ),
    "strategi/<uuid:plan_id>/ny/<slug:what>/ rapport": (
        _L,
        "test_twenty_identical_indicators_and_reports_of_a_strategy_plan_make_one",
    ),
    "kunskap/kompetensplaner/": (_L, "test_twenty_identical_competence_plans_make_one"),
    "kunskap/kompetensplaner/<uuid:public_id>/": (
        _L,
        "test_twenty_identical_efforts_in_a_competence_plan_make_one",
    ),
    "administration/organisation/<uuid:public_id>/personal/ny/": (
        _G,
        "test_twenty_identical_new_staff_make_one_account",
    ),
    "administration/organisation/<uuid:public_id>/kontaktfunktion/<uuid:cf_id>/": (
        _G,
        "test_twenty_identical_hand_overs_of_a_contact_function_make_one_holder",
    ),
    "administration/import/": (_G, "test_twenty_imports_of_the_same_staff_make_each_account_once"),
    "kunskap/checklista/": (_G, "test_twenty_identical_choices_for_the_own_checklist_make_one"),
    "forum/punkt/<uuid:item_id>/beslut/": (
        _G,
        "test_twenty_identical_decisions_on_a_forum_item_record_one",
    ),
    "forum/eskalering/": (_G, "test_twenty_identical_escalations_make_one"),
    "forum/eskalering/<uuid:escalation_id>/": (
        _G,
        "test_twenty_identical_answers_to_an_escalation_step_record_one",
    ),
    "forum/kalender/": (_G, "test_twenty_calendar_subscriptions_at_once_leave_one_link_working"),
    "strategi/<uuid:plan_id>/indikator/<uuid:indicator_id>/": (
        _G,
        "test_twenty_identical_values_of_an_indicator_make_one",
    ),
    "strategi/enkater/inbjudan/<uuid:invitation_id>/": (
        _G,
        "test_twenty_answers_to_a_survey_invitation_store_one",
    ),
    "logg/utdrag/": (_G, "test_twenty_requests_for_a_log_extract_draft_one"),
    "familj/meddelanden/": (_G, "test_twenty_identical_contact_details_in_the_portal_make_one"),
    "familj/barn/<uuid:child_id>/logg/begar/": (
        _G,
        "test_twenty_log_requests_from_the_portal_ask_each_organisation_once",
    ),
    "POST /api/concerns": (_C, "test_twenty_identical_reports_from_the_api_file_one"),
    "POST /api/meetings/{meeting_id}/items": (
        _C,
        "test_twenty_identical_agenda_items_from_the_api_make_one",
    ),
}

_EDIT = "changes a record that exists (an edit, versioned where two may edit at once)"
_STATE = "moves a record that exists to its next state (once: a repeat finds it moved)"
_END = "ends or removes a record that exists"

NOT_A_CREATION: dict[str, str] = {
    "i18n/setlang/": "Django's language choice: a cookie",
    "barn/": "a search (by POST, so that a personnummer stays out of addresses and logs)",
    "logg/barn/": "a search in the audit log (by POST, as above)",
    "POST /api/children/search": "a search (by POST, as above)",
    "logg/export.csv": "a download of the audit log",
    "logga-in/": "logs in",
    "logga-in/kod/": "the second step of logging in",
    "logga-in/e-legitimation/utloggning/": "the identity provider's logout",
    "tvastegsverifiering/aktivera/": "turns on two-factor login for the user (a setting)",
    "logga-ut/": "logs out",
    "familj/logga-ut/": "logs out of the family portal",
    "roll/": "chooses which of the user's roles the session acts in",
    "inkorg/e-post/": "the user's e-mail preference (a setting)",
    "inkorg/sms/": "the user's SMS number (a setting)",
    "inkorg/<uuid:item_id>/klar/": _STATE,
    "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/ratta/": _EDIT,
    "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/avsluta/": _END,
    "barn/<uuid:public_id>/vardnadshavare/<uuid:guardian_id>/eidas/<uuid:link_id>/ta-bort/": _END,
    "barn/<uuid:public_id>/arende/<uuid:involvement_id>/skyddade-uppgifter/": _EDIT,
    "barn/<uuid:public_id>/arende/<uuid:involvement_id>/karaktar/": _EDIT,
    "barn/<uuid:public_id>/arende/<uuid:involvement_id>/avsluta/": _END,
    "samtycken/<uuid:consent_id>/aterkalla/": _END,
    "familj/samtycke/<uuid:consent_id>/aterkalla/": _END,
    "familj/samtycke/<uuid:consent_id>/inskrank/": _EDIT,
    "POST /api/consents/{consent_id}/revoke": _END,
    "anmalan/<uuid:report_id>/handlaggare/": _STATE,
    "anmalan/<uuid:report_id>/identifiera/": "links the report to its child once (the "
    "database allows that one change)",
    "POST /api/concerns/{concern_id}/identify": "links the report to its child once",
    "anmalan/<uuid:report_id>/forhandsbedomning/": _STATE,
    "anmalan/<uuid:report_id>/forlang/<slug:which>/": _STATE,
    "anmalan/<uuid:report_id>/avsluta/": _END,
    "sip/<uuid:plan_id>/plan/": _EDIT,
    "PUT /api/plans/{plan_id}": _EDIT,
    "PATCH /api/plans/{plan_id}": _EDIT,
    "sip/<uuid:plan_id>/bekrafta/": _STATE,
    "sip/<uuid:plan_id>/avsluta/": _END,
    "administration/gallring/sparr/<uuid:public_id>/hav/": _END,
    "administration/huvudman/<uuid:public_id>/": _EDIT,
    "administration/organisation/<uuid:public_id>/andra/": _EDIT,
    "administration/organisation/<uuid:public_id>/enhet/<uuid:unit_id>/": _EDIT,
    "administration/organisation/<uuid:public_id>/funktion/<slug:code>/": _EDIT,
    "administration/organisation/<uuid:public_id>/personal/<uuid:membership_id>/": _EDIT,
    "administration/organisation/<uuid:public_id>/personal/<uuid:membership_id>/avsluta/": _END,
    "administration/organisation/<uuid:public_id>/personal/<uuid:membership_id>/losenord/": (
        "sets a staff member's password"
    ),
    "administration/organisation/<uuid:public_id>/kontaktfunktion/<uuid:cf_id>/andra/": _EDIT,
    **{
        f"kunskap/{segment}/<slug:code>/andra/": _EDIT
        for segment in ("aktorer", "begrepp", "faktorer", "forslag", "metoder")
    },
    "kunskap/checklista/punkt/<uuid:item_id>/klar/": _STATE,
    "kunskap/checklista/punkt/<uuid:item_id>/ta-bort/": _END,
    "kunskap/motesplatser/<uuid:public_id>/andra/": _EDIT,
    "kunskap/motesplatser/<uuid:public_id>/avanmal/": _END,
    "kunskap/motesplatser/<uuid:public_id>/stall-in/": _END,
    "kunskap/motesplatser/<uuid:public_id>/narvaro/": "marks who attended (a state per person)",
    "kunskap/kompetensplaner/<uuid:public_id>/insats/<uuid:item_id>/status/": _STATE,
    "rattsliga-grunder/andringar/<uuid:public_id>/granska/": _STATE,
    "overlamningar/<uuid:handover_id>/kvittera/": _STATE,
    "overlamningar/<uuid:handover_id>/avvisa/": _STATE,
    "forum/mote/<uuid:meeting_id>/narvaro/": "marks who attended (a state per person)",
    "forum/mote/<uuid:meeting_id>/protokoll/": _EDIT,
    "forum/mote/<uuid:meeting_id>/avsluta/": _STATE,
    "forum/mote/<uuid:meeting_id>/justera/": _STATE,
    "forum/atgard/<uuid:action_id>/status/": _STATE,
    "avtal/<uuid:agreement_id>/andra/": _EDIT,
    "avtal/<uuid:agreement_id>/synpunkt/<uuid:comment_id>/svar/": _STATE,
    "avtal/<uuid:agreement_id>/bilagor/<uuid:attachment_id>/ta-bort/": _END,
    "strategi/<uuid:plan_id>/andra/<slug:kind>/<uuid:item_id>/": _EDIT,
    "strategi/<uuid:plan_id>/aktivitet/<uuid:activity_id>/status/": _STATE,
    "logg/utdrag/<uuid:public_id>/": _STATE,
}

_TODO = "a creation not raced yet"
NOT_YET_RACED: dict[str, str] = {}


def _api_operations() -> set[str]:
    from samverkan.config.urls import api

    paths = api.get_openapi_schema()["paths"]
    return {
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    }


def _listed() -> set[str]:
    return {
        key.split(" ")[0] if not key.startswith(("POST", "PUT", "PATCH", "DELETE")) else key
        for key in (*RACED, *NOT_A_CREATION, *NOT_YET_RACED)
    }


def test_every_post_route_is_raced_or_says_why_it_is_not():
    writing = posting_routes() | _api_operations()
    assert len(writing) > 100, len(writing)  # the URLconf was read
    missing = sorted(writing - _listed())
    assert not missing, f"a POST route neither raced nor named as not a creation: {missing}"
    gone = sorted(_listed() - writing)
    assert not gone, f"listed, but no such POST route: {gone}"
    both = set(RACED) & (set(NOT_A_CREATION) | set(NOT_YET_RACED))
    assert not both, sorted(both)


def test_every_race_named_is_a_test():
    for route, (module, name) in RACED.items():
        assert callable(getattr(importlib.import_module(module), name, None)), (route, name)


def test_race_runs_the_calls_at_once(race):
    import time

    def wait(i):
        time.sleep(0.2)
        return i

    started = time.monotonic()
    assert race(8, wait) == list(range(8))
    assert time.monotonic() - started < 8 * 0.2 / 2  # one after another would take 1.6 s
