from django.urls import path

from . import cooperation_views, report_views, reporter_dialogue_views, submission_views, views

app_name = "concerns"

urlpatterns = [
    path("", views.index, name="index"),
    path("mina/", views.mine, name="mine"),
    path("mottagning/", views.intake, name="intake"),
    path("ny/", submission_views.new, name="new"),
    path("muntlig/", submission_views.oral_new, name="oral_new"),
    path("privatperson/", submission_views.public_new, name="public_new"),
    path("privatperson/kvitto/", submission_views.public_receipt, name="public_receipt"),
    path("start/", views.home_card, name="home_card"),
    path("barn/<uuid:child_id>/", views.child_panel, name="child_panel"),
    path("<uuid:report_id>/", report_views.detail, name="detail"),
    path("<uuid:report_id>/handlaggare/", report_views.assign, name="assign"),
    path("<uuid:report_id>/identifiera/", report_views.identify, name="identify"),
    path("<uuid:report_id>/skyddsbedomning/", report_views.protection, name="protection"),
    path("<uuid:report_id>/forhandsbedomning/", report_views.decide, name="decide"),
    path("<uuid:report_id>/forlang/<slug:which>/", report_views.extend, name="extend"),
    path("<uuid:report_id>/avsluta/", report_views.close, name="close"),
    path("<uuid:report_id>/aterkoppling/", reporter_dialogue_views.feedback, name="feedback"),
    path(
        "<uuid:report_id>/tillagg/", reporter_dialogue_views.reporter_entry, name="reporter_entry"
    ),
    path("<uuid:report_id>/mote/", cooperation_views.meeting, name="meeting"),
    path(
        "<uuid:report_id>/mote/<uuid:meeting_id>.ics",
        cooperation_views.meeting_ics,
        name="meeting_ics",
    ),
    path("<uuid:report_id>/utvardering/", cooperation_views.evaluation, name="evaluation"),
]
