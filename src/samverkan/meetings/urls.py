from django.urls import path

from . import calendar_views, escalation_views, item_views, meeting_views, views

app_name = "meetings"

urlpatterns = [
    path("", views.index, name="index"),
    path("nytt/", views.forum_new, name="forum_new"),
    path("<uuid:forum_id>/", views.forum_detail, name="forum"),
    path("<uuid:forum_id>/boka/", views.forum_book, name="book"),
    path("mote/<uuid:meeting_id>/", meeting_views.meeting_detail, name="meeting"),
    path("mote/<uuid:meeting_id>/punkt/", item_views.item_new, name="item_new"),
    path("mote/<uuid:meeting_id>/narvaro/", meeting_views.attendance, name="attendance"),
    path("mote/<uuid:meeting_id>/protokoll/", meeting_views.minutes, name="minutes"),
    path("mote/<uuid:meeting_id>/avsluta/", meeting_views.close, name="close"),
    path("mote/<uuid:meeting_id>/justera/", meeting_views.approve, name="approve"),
    path("mote/<uuid:meeting_id>/rattelse/", meeting_views.correction, name="correction"),
    path("mote/<uuid:meeting_id>/atgard/", meeting_views.action_new, name="action_new"),
    path("mote/<uuid:meeting_id>/utvardering/", meeting_views.evaluate, name="evaluate"),
    path("atgard/<uuid:action_id>/status/", meeting_views.action_status, name="action_status"),
    path("punkt/<uuid:item_id>/beslut/", meeting_views.item_decision, name="item_decision"),
    path("eskalering/", escalation_views.escalations, name="escalations"),
    path("eskalering/<uuid:escalation_id>/", escalation_views.escalation_detail, name="escalation"),
    path("kalender/", calendar_views.calendar, name="calendar"),
    path("kalender/<str:secret>.ics", calendar_views.feed_user, name="feed_user"),
    path("kalender/<str:secret>/<uuid:forum_id>.ics", calendar_views.feed_forum, name="feed_forum"),
]
