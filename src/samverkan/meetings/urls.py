from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("nytt/", views.forum_new, name="forum_new"),
    path("<uuid:forum_id>/", views.forum_detail, name="forum"),
    path("<uuid:forum_id>/boka/", views.forum_book, name="book"),
    path("mote/<uuid:meeting_id>/", views.meeting_detail, name="meeting"),
    path("mote/<uuid:meeting_id>/punkt/", views.item_new, name="item_new"),
    path("mote/<uuid:meeting_id>/narvaro/", views.attendance, name="attendance"),
    path("mote/<uuid:meeting_id>/protokoll/", views.minutes, name="minutes"),
    path("mote/<uuid:meeting_id>/avsluta/", views.close, name="close"),
    path("mote/<uuid:meeting_id>/justera/", views.approve, name="approve"),
    path("mote/<uuid:meeting_id>/rattelse/", views.correction, name="correction"),
    path("mote/<uuid:meeting_id>/atgard/", views.action_new, name="action_new"),
    path("mote/<uuid:meeting_id>/utvardering/", views.evaluate, name="evaluate"),
    path("atgard/<uuid:action_id>/status/", views.action_status, name="action_status"),
    path("punkt/<uuid:item_id>/beslut/", views.item_decision, name="item_decision"),
    path("eskalering/", views.escalations, name="escalations"),
    path("eskalering/<uuid:escalation_id>/", views.escalation_detail, name="escalation"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/<str:secret>.ics", views.feed_user, name="feed_user"),
    path("kalender/<str:secret>/<uuid:forum_id>.ics", views.feed_forum, name="feed_forum"),
]
