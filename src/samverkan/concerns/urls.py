from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("", views.index, name="index"),
    path("mina/", views.mine, name="mine"),
    path("mottagning/", views.intake, name="intake"),
    path("ny/", views.new, name="new"),
    path("muntlig/", views.oral_new, name="oral_new"),
    path("privatperson/", views.public_new, name="public_new"),
    path("privatperson/kvitto/", views.public_receipt, name="public_receipt"),
    path("start/", views.home_card, name="home_card"),
    path("barn/<uuid:child_id>/", views.child_panel, name="child_panel"),
    path("<uuid:report_id>/", views.detail, name="detail"),
    path("<uuid:report_id>/handlaggare/", views.assign, name="assign"),
    path("<uuid:report_id>/identifiera/", views.identify, name="identify"),
    path("<uuid:report_id>/skyddsbedomning/", views.protection, name="protection"),
    path("<uuid:report_id>/forhandsbedomning/", views.decide, name="decide"),
    path("<uuid:report_id>/forlang/<slug:which>/", views.extend, name="extend"),
    path("<uuid:report_id>/avsluta/", views.close, name="close"),
    path("<uuid:report_id>/aterkoppling/", views.feedback, name="feedback"),
    path("<uuid:report_id>/tillagg/", views.reporter_entry, name="reporter_entry"),
    path("<uuid:report_id>/mote/", views.meeting, name="meeting"),
    path("<uuid:report_id>/mote/<uuid:meeting_id>.ics", views.meeting_ics, name="meeting_ics"),
    path("<uuid:report_id>/utvardering/", views.evaluation, name="evaluation"),
]
