from django.urls import path

from . import plan_views, situation_views, survey_views

app_name = "strategy"

urlpatterns = [
    path("", plan_views.plan_list, name="list"),
    path("lagesbild/", situation_views.situation_picture, name="situation"),
    path("lagesbild/lagesbild.xlsx", situation_views.situation_picture_xlsx, name="situation_xlsx"),
    path("lagesbild/lagesbild.csv", situation_views.situation_picture_csv, name="situation_csv"),
    path("enkater/", survey_views.survey_list, name="surveys"),
    path("enkater/<uuid:survey_id>/", survey_views.survey_detail, name="survey"),
    path("enkater/<uuid:survey_id>/svara/", survey_views.survey_answer, name="survey_answer"),
    path(
        "enkater/inbjudan/<uuid:invitation_id>/",
        survey_views.survey_invitation,
        name="survey_invitation",
    ),
    path(
        "enkater/<uuid:survey_id>/andra/<slug:what>/",
        survey_views.survey_change,
        name="survey_change",
    ),
    path(
        "enkater/<uuid:survey_id>/diagram/<slug:kind>.svg",
        survey_views.survey_chart,
        name="survey_chart",
    ),
    path("<uuid:plan_id>/", plan_views.plan_detail, name="plan"),
    path("<uuid:plan_id>/ny/<slug:what>/", plan_views.plan_add, name="add"),
    path(
        "<uuid:plan_id>/andra/<slug:kind>/<uuid:item_id>/",
        plan_views.item_edit,
        name="item_edit",
    ),
    path(
        "<uuid:plan_id>/aktivitet/<uuid:activity_id>/status/",
        plan_views.activity_status,
        name="activity_status",
    ),
    path(
        "<uuid:plan_id>/indikator/<uuid:indicator_id>/",
        plan_views.indicator_detail,
        name="indicator",
    ),
    path("<uuid:plan_id>/rapport/<uuid:report_id>/", plan_views.report_detail, name="report"),
    path(
        "<uuid:plan_id>/rapport/<uuid:report_id>/rapport.pdf",
        plan_views.report_pdf,
        name="report_pdf",
    ),
    path(
        "<uuid:plan_id>/rapport/<uuid:report_id>/rapport.xlsx",
        plan_views.report_xlsx,
        name="report_xlsx",
    ),
    path(
        "<uuid:plan_id>/indikator/<uuid:indicator_id>/diagram.svg",
        plan_views.indicator_chart,
        name="chart",
    ),
]
