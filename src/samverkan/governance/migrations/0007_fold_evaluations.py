"""Fold the evaluations after meetings (meetings.Evaluation) and after closed cases
(concerns.Evaluation) into two built-in surveys. Every existing answer is copied into an
anonymous response (organisation type and month only) and who answered into a
participation; the old rows stay where they are (nothing is lost). The questions are
written here as they were asked, so the migration does not change with later data."""

import uuid

from django.db import migrations

MEETING_QUESTIONS = [
    ("purpose", "Var mötets syfte tydligt?"),
    ("right_people", "Var rätt funktioner med?"),
    ("useful", "Fick du med dig något du kan använda i ditt arbete?"),
    ("climate", "Kunde alla komma till tals?"),
]
CASE_QUESTIONS = [
    ("receipt", "Fick anmälaren bekräftelse på att anmälan kommit in?"),
    ("handler_known", "Visste anmälaren vem som handlade ärendet och hur hen nåddes?"),
    ("feedback", "Fick anmälaren återkoppling under ärendets gång?"),
    ("cooperation", "Fungerade samarbetet kring barnet under ärendet?"),
    ("new_report", "Vet anmälaren när en ny anmälan ska göras?"),
]
CASE_VALUES = {"nej": 1, "delvis": 2, "ja": 3}
SURVEYS = {
    "mote": (
        "Utvärdering efter samverkansmöte",
        "Deltagarnas korta utvärdering efter ett genomfört möte i ett samverkansforum.",
        "efter_mote",
        "skala4",
        MEETING_QUESTIONS,
    ),
    "arende": (
        "Utvärdering efter avslutat ärende",
        "Anmälarens verksamhet och socialtjänsten utvärderar samarbetet när ärendet är "
        "avslutat.",
        "efter_arende",
        "jadelvisnej",
        CASE_QUESTIONS,
    ),
}


def _month(moment):
    return moment.date().replace(day=1)


def create_and_copy(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Survey = apps.get_model("governance", "Survey")
    Question = apps.get_model("governance", "SurveyQuestion")
    Response = apps.get_model("governance", "SurveyResponse")
    Answer = apps.get_model("governance", "SurveyAnswer")
    Participation = apps.get_model("governance", "SurveyParticipation")
    questions = {}
    for code, (title, intro, audience, kind, items) in SURVEYS.items():
        survey, _ = Survey.objects.using(db).get_or_create(
            system_code=code,
            defaults={
                "public_id": uuid.uuid4(),
                "title": title,
                "introduction": intro,
                "audience": audience,
                "status": "oppen",
                "min_group": 5,
            },
        )
        questions[code] = {}
        for position, (key, text) in enumerate(items, start=1):
            questions[code][key], _ = Question.objects.using(db).get_or_create(
                survey=survey, position=position, defaults={"kind": kind, "text": text, "code": key}
            )
        questions[code]["comment"], _ = Question.objects.using(db).get_or_create(
            survey=survey,
            position=len(items) + 1,
            defaults={"kind": "fritext", "text": "Övriga synpunkter", "code": "comment"},
        )
        questions[code]["survey"] = survey

    def copy(code, occasion, user_id, org_type, created_at, values, comment):
        survey = questions[code]["survey"]
        _, created = Participation.objects.using(db).get_or_create(
            survey=survey,
            user_id=user_id,
            occasion=occasion,
            defaults={"answered_on": created_at.date()},
        )
        if not created:
            return
        response = Response.objects.using(db).create(
            survey=survey, organisation_type=org_type, month=_month(created_at)
        )
        rows = [
            Answer(response=response, question=questions[code][key], value=value)
            for key, value in values.items()
            if key in questions[code] and value is not None
        ]
        if comment.strip():
            rows.append(
                Answer(response=response, question=questions[code]["comment"], text=comment)
            )
        Answer.objects.using(db).bulk_create(rows)

    MeetingEvaluation = apps.get_model("meetings", "Evaluation")
    for row in MeetingEvaluation.objects.using(db).select_related("meeting", "organisation").order_by("pk"):
        copy(
            "mote",
            f"meeting:{row.meeting.public_id}",
            row.user_id,
            row.organisation.org_type,
            row.created_at,
            {k: int(v) for k, v in row.answers.items()},
            row.comment,
        )
    CaseEvaluation = apps.get_model("concerns", "Evaluation")
    for row in CaseEvaluation.objects.using(db).select_related("report").order_by("pk"):
        copy(
            "arende",
            f"case:{row.report.public_id}",
            row.answered_by_id,
            row.organisation_type,
            row.created_at,
            {k: CASE_VALUES.get(v) for k, v in row.answers.items()},
            row.comment,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_surveys"),
        ("meetings", "0002_text_bounds"),
        ("concerns", "0006_text_bounds"),
    ]

    operations = [migrations.RunPython(create_and_copy, migrations.RunPython.noop)]
