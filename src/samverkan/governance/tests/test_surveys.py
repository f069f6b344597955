"""Evaluation surveys: the builder, who may answer, anonymity below the group size,
results by organisation type and over time, charts with data tables, and the
evaluations after meetings and closed cases folded in (issue 16 item 4)."""

from __future__ import annotations

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AuditEvent
from samverkan.core.errors import PermissionDenied, ValidationFailed
from samverkan.directory.tests.factories import MembershipFactory, OrganisationFactory, actor_of
from samverkan.governance import survey_results, surveys
from samverkan.governance.models import (
    Survey,
    SurveyAnswer,
    SurveyParticipation,
    SurveyResponse,
    SurveyStatus,
)
from samverkan.meetings import services as meeting_services
from samverkan.meetings.tests.factories import ForumFactory, MeetingFactory, convener_of

pytestmark = pytest.mark.django_db


def _survey(setting, *, org_types=("skola", "forskola", "socialtjanst"), k=5, **kwargs):
    survey = surveys.survey_create(
        actor=actor_of(setting.strategist),
        title=kwargs.pop("title", "Temperaturmätning 2026"),
        audience="verksamheter",
        org_types=list(org_types),
        min_group=k,
        **kwargs,
    )
    strategist = actor_of(setting.strategist)
    surveys.question_add(actor=strategist, survey=survey, kind="janej", text="Litar du mer?")
    surveys.question_add(actor=strategist, survey=survey, kind="skala5", text="Hur väl?")
    surveys.question_add(actor=strategist, survey=survey, kind="fritext", text="Vad saknas?")
    return surveys.survey_set_status(actor=strategist, survey=survey, status=SurveyStatus.OPEN)


def _answer(survey, org_type, *, yes=1, scale=4, text="", organisation=None):
    organisation = organisation or OrganisationFactory(org_type=org_type)
    member = MembershipFactory(code="kurator", organisation=organisation)
    surveys.answer_submit(
        actor=actor_of(member), survey=survey, answers={1: str(yes), 2: str(scale), 3: text}
    )
    return member


def test_builder_is_for_the_strategy_group_and_questions_change_only_in_draft(setting):
    with pytest.raises(PermissionDenied):
        surveys.survey_create(
            actor=actor_of(setting.reader), title="X", audience="verksamheter", org_types=["skola"]
        )
    draft = surveys.survey_create(
        actor=actor_of(setting.strategist),
        title="Klimatet",
        audience="verksamheter",
        org_types=["skola"],
        with_climate_questions=True,
    )
    assert draft.questions.count() == len(surveys.definitions()["climate_template"])
    with pytest.raises(PermissionDenied):
        surveys.question_add(actor=actor_of(setting.reader), survey=draft, kind="janej", text="?")
    surveys.question_remove(actor=actor_of(setting.strategist), survey=draft, position=1)
    assert [q.position for q in draft.questions.all()] == list(
        range(1, draft.questions.count() + 1)
    )
    surveys.survey_set_status(actor=actor_of(setting.strategist), survey=draft, status="oppen")
    with pytest.raises(ValidationFailed, match="utkast"):
        surveys.question_add(
            actor=actor_of(setting.strategist), survey=draft, kind="janej", text="?"
        )
    with pytest.raises(ValidationFailed, match="gruppstorlek"):
        surveys.survey_create(
            actor=actor_of(setting.strategist),
            title="För liten grupp",
            audience="verksamheter",
            org_types=["skola"],
            min_group=2,
        )


def test_only_the_audience_answers_and_only_once(setting):
    survey = _survey(setting, org_types=["skola"])
    assert surveys.may_answer(actor_of(setting.reader), survey) == ""
    with pytest.raises(ValidationFailed, match="inte riktad"):
        surveys.answer_submit(
            actor=actor_of(setting.other), survey=survey, answers={1: "1", 2: "3"}
        )
    with pytest.raises(ValidationFailed, match="Svara på frågan"):
        surveys.answer_submit(actor=actor_of(setting.reader), survey=survey, answers={1: "1"})
    surveys.answer_submit(actor=actor_of(setting.reader), survey=survey, answers={1: "1", 2: "5"})
    with pytest.raises(ValidationFailed, match="redan svarat"):
        surveys.answer_submit(
            actor=actor_of(setting.reader), survey=survey, answers={1: "0", 2: "1"}
        )
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_forum_survey_goes_to_the_forums_members(setting):
    forum = ForumFactory()
    convener = convener_of(forum)
    survey = surveys.survey_create(
        actor=actor_of(setting.strategist), title="Forumets klimat", audience="forum", forum=forum
    )
    surveys.question_add(actor=actor_of(setting.strategist), survey=survey, kind="janej", text="?")
    survey = surveys.survey_set_status(
        actor=actor_of(setting.strategist), survey=survey, status="oppen"
    )
    assert surveys.may_answer(actor_of(convener), survey) == ""
    assert "inte riktad" in surveys.may_answer(actor_of(setting.reader), survey)


def test_a_response_cannot_be_traced_to_the_person(setting):
    survey = _survey(setting)
    member = _answer(survey, "skola", text="Mer tid")
    response = SurveyResponse.objects.get(survey=survey)
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert fields == {"id", "survey", "organisation_type", "month", "answers"}
    assert response.organisation_type == "skola"
    assert response.month == timezone.localdate().replace(day=1)
    assert SurveyParticipation.objects.filter(survey=survey, user=member.user).exists()
    event = AuditEvent.objects.filter(resource_id=str(survey.public_id), action="create").last()
    assert "Mer tid" not in str(event.details) and "1" not in str(event.details.get("answers", ""))


def test_nothing_is_shown_below_the_group_size_and_small_types_are_pooled(setting):
    survey = _survey(setting)
    for _ in range(4):
        _answer(survey, "skola", text="Hemligt")
    result = survey_results.results(survey)
    assert not result.shown and result.groups == [] and result.texts == []
    assert "minst 5" in result.summary()
    _answer(survey, "skola", yes=0)
    result = survey_results.results(survey)
    assert result.shown
    assert [(g.label, g.responses) for g in result.groups] == [("Skola", 5)]
    assert result.total.cells[0].text == "80 %"  # 4 of 5 said yes
    assert result.texts == [("Vad saknas?", ["Hemligt"] * 4)]
    # Two preschool answers: under five, and the total would give them away, so the
    # school joins the pool and no type is shown on its own.
    _answer(survey, "forskola")
    _answer(survey, "forskola")
    labels = [g.label for g in survey_results.results(survey).groups]
    assert labels == ["Övriga verksamheter"]
    for _ in range(5):
        _answer(survey, "socialtjanst", scale=2)
    result = survey_results.results(survey)
    by_label = {g.label: g for g in result.groups}
    assert set(by_label) == {"Socialtjänst", "Övriga verksamheter"}
    assert by_label["Övriga verksamheter"].responses == 7
    assert by_label["Socialtjänst"].cells[1].text == "0 %"  # 2 of 5 is not positive


def test_the_group_size_is_configurable(setting):
    survey = _survey(setting, k=3)
    for _ in range(3):
        _answer(survey, "skola")
    assert [g.label for g in survey_results.results(survey).groups] == ["Skola"]


def test_results_over_time_hide_small_quarters(setting):
    survey = _survey(setting)
    for _ in range(5):
        _answer(survey, "skola")
    old = SurveyResponse.objects.filter(survey=survey)[:1]
    SurveyResponse.objects.filter(pk__in=[r.pk for r in old]).update(
        month=datetime.date(2020, 1, 1)
    )
    periods = {p.label: p for p in survey_results.results(survey).periods}
    assert periods["2020 K1"].responses.text == "<5"
    assert periods["2020 K1"].cells[0].text == "<5"


def test_pages_show_charts_with_data_tables(setting, client_for):
    survey = _survey(setting)
    for _ in range(5):
        _answer(survey, "skola")
    client = client_for(setting.reader)
    page = client.get(reverse("strategy:survey", args=[survey.public_id]))
    html = page.content.decode()
    assert "<table" in html and "Skola" in html and "80 %" not in html
    assert reverse("strategy:survey_chart", args=[survey.public_id, "verksamheter"]) in html
    for kind in ("verksamheter", "over-tid"):
        chart = client.get(reverse("strategy:survey_chart", args=[survey.public_id, kind]))
        assert chart["Content-Type"] == "image/svg+xml"
        assert b"<svg" in chart.content
    assert (
        b"Skola (5)"
        in client.get(
            reverse("strategy:survey_chart", args=[survey.public_id, "verksamheter"])
        ).content
    )


def test_answer_page_stores_once_and_reader_cannot_build(setting, client_for):
    survey = _survey(setting, org_types=["skola"])
    client = client_for(setting.reader)
    url = reverse("strategy:survey_answer", args=[survey.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"q1": "1", "q2": "4", "q3": ""})
    assert response.status_code == 302
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert client.get(url).status_code == 302  # already answered: back to the survey
    change = reverse("strategy:survey_change", args=[survey.public_id, "stang"])
    assert client.post(change).status_code == 404
    assert Survey.objects.get(pk=survey.pk).status == SurveyStatus.OPEN
    listing = client_for(setting.strategist).post(
        reverse("strategy:surveys"), {"title": "", "audience": "verksamheter", "min_group": "5"}
    )
    assert listing.status_code == 422


def test_drafts_are_seen_by_the_strategy_group_only(setting):
    draft = surveys.survey_create(
        actor=actor_of(setting.strategist),
        title="Utkast",
        audience="verksamheter",
        org_types=["skola"],
    )
    assert draft not in survey_results.survey_list(actor_of(setting.reader))
    assert draft in survey_results.survey_list(actor_of(setting.strategist))


def test_a_meeting_evaluation_is_folded_into_the_built_in_survey(setting):
    forum = ForumFactory()
    convener = convener_of(forum)
    meeting = MeetingFactory(forum=forum, starts_in=datetime.timedelta(days=-1), status="held")
    survey = surveys.system_survey("mote")
    before = set(SurveyResponse.objects.filter(survey=survey).values_list("pk", flat=True))
    meeting_services.evaluation_submit(
        actor=actor_of(convener),
        meeting=meeting,
        answers={"purpose": 4, "right_people": 3, "useful": 2, "climate": 1},
        comment="Bra möte",
    )
    response = SurveyResponse.objects.filter(survey=survey).exclude(pk__in=before).get()
    assert response.organisation_type == "socialtjanst"
    values = dict(
        SurveyAnswer.objects.filter(response=response, value__isnull=False).values_list(
            "question__code", "value"
        )
    )
    assert values == {"purpose": 4, "right_people": 3, "useful": 2, "climate": 1}
    assert SurveyAnswer.objects.get(response=response, question__code="comment").text == "Bra möte"


def test_the_migration_copies_earlier_evaluations_once(setting):
    """Evaluations given before surveys existed are copied by migration 0007."""
    from samverkan.meetings.models import Evaluation

    forum = ForumFactory()
    convener = convener_of(forum)
    meeting = MeetingFactory(forum=forum, starts_in=datetime.timedelta(days=-1), status="held")
    Evaluation.objects.create(
        meeting=meeting,
        user=convener.user,
        organisation=convener.organisation,
        answers={"purpose": 3, "right_people": 3, "useful": 3, "climate": 3},
    )
    survey = surveys.system_survey("mote")
    before = set(SurveyResponse.objects.filter(survey=survey).values_list("pk", flat=True))
    migration = importlib.import_module("samverkan.governance.migrations.0007_fold_evaluations")
    editor = SimpleNamespace(connection=connection)  # the migration reads the alias only
    migration.create_and_copy(apps, editor)
    migration.create_and_copy(apps, editor)  # a second run copies nothing twice
    new = SurveyResponse.objects.filter(survey=survey).exclude(pk__in=before)
    assert new.count() == 1
    assert SurveyAnswer.objects.filter(response__in=new, value=3).count() == 4


def test_an_open_survey_waits_on_the_start_page_until_answered(setting, client_for):
    survey = _survey(setting, org_types=["skola"])
    card = reverse("governance:home_card")
    client = client_for(setting.reader)
    assert survey.title in client.get(card).text
    assert survey.title not in client_for(setting.other).get(card).text  # a preschool
    surveys.answer_submit(
        actor=actor_of(setting.reader), survey=survey, answers={1: "1", 2: "4", 3: ""}
    )
    assert survey.title not in client.get(card).text
