from django.urls import path

from . import meeting_views, views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("barn/<uuid:child_id>/", views.child_plans, name="child_plans"),
    path("barn/<uuid:child_id>/ny/", views.start, name="start"),
    path("barn/<uuid:child_id>/andra-planer/", views.other_plan_add, name="other_plan_add"),
    path("start/", views.home_card, name="home_card"),
    path("<uuid:plan_id>/", views.detail, name="detail"),
    path("<uuid:plan_id>/plan/", views.edit, name="edit"),
    path("<uuid:plan_id>/forberedelse/", views.prepare, name="prepare"),
    path("<uuid:plan_id>/bekrafta/", views.acknowledge, name="acknowledge"),
    path("<uuid:plan_id>/uppfoljning/", views.follow_up, name="follow_up"),
    path(
        "<uuid:plan_id>/uppfoljningsmote/",
        meeting_views.follow_up_meeting,
        name="follow_up_meeting",
    ),
    path("<uuid:plan_id>/avsluta/", views.close, name="close"),
    path("<uuid:plan_id>/jamfor/", views.compare, name="compare"),
    path("<uuid:plan_id>/plan.pdf", views.plan_pdf, name="pdf"),
    path("<uuid:plan_id>/dagordning/", views.agenda, name="agenda"),
    path("<uuid:plan_id>/kallelse.ics", views.invitation_ics, name="ics"),
]
