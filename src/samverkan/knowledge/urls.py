from django.urls import path

from . import checklist_views, competence_views, content_views, event_views, views

app_name = "knowledge"


def _content(prefix: str, segment: str, kind: str, list_view, detail_view) -> list:
    return [
        path(f"{segment}/", list_view, name=f"{prefix}_list"),
        path(
            f"{segment}/ny/",
            content_views.entry_create,
            {"kind_code": kind},
            name=f"{prefix}_create",
        ),
        path(f"{segment}/<slug:code>/", detail_view, name=f"{prefix}_detail"),
        path(
            f"{segment}/<slug:code>/andra/",
            content_views.entry_edit,
            {"kind_code": kind},
            name=f"{prefix}_edit",
        ),
        path(
            f"{segment}/<slug:code>/historik/",
            content_views.entry_history,
            {"kind_code": kind},
            name=f"{prefix}_history",
        ),
    ]


urlpatterns = [
    path("", views.index, name="index"),
    path("barn/<uuid:child_id>/faktorer/", views.child_factors, name="child_factors"),
    path("sok/", views.search, name="search"),
    path("introduktion/", views.introduction, name="introduction"),
    *_content("actor", "aktorer", "actor", content_views.actor_list, content_views.actor_detail),
    *_content(
        "concept", "begrepp", "concept", content_views.concept_list, content_views.concept_detail
    ),
    *_content(
        "factor", "faktorer", "factor", content_views.factor_list, content_views.factor_detail
    ),
    *_content(
        "method", "metoder", "method", content_views.method_list, content_views.method_detail
    ),
    *_content(
        "suggestion",
        "forslag",
        "suggestion",
        content_views.suggestion_list,
        content_views.suggestion_detail,
    ),
    path("checklista/", checklist_views.checklist, name="checklist"),
    path("checklista/punkt/", checklist_views.checklist_item_add, name="checklist_item_add"),
    path(
        "checklista/punkt/<uuid:item_id>/klar/",
        checklist_views.checklist_item_mark,
        name="checklist_item_mark",
    ),
    path(
        "checklista/punkt/<uuid:item_id>/ta-bort/",
        checklist_views.checklist_item_remove,
        name="checklist_item_remove",
    ),
    path("checklista/utskrift/", checklist_views.checklist_print, name="checklist_print"),
    path("motesplatser/", event_views.event_list, name="event_list"),
    path("motesplatser/ny/", event_views.event_create, name="event_create"),
    path("motesplatser/<uuid:public_id>/", event_views.event_detail, name="event_detail"),
    path("motesplatser/<uuid:public_id>/andra/", event_views.event_edit, name="event_edit"),
    path("motesplatser/<uuid:public_id>/anmal/", event_views.event_register, name="event_register"),
    path(
        "motesplatser/<uuid:public_id>/avanmal/",
        event_views.event_unregister,
        name="event_unregister",
    ),
    path("motesplatser/<uuid:public_id>/stall-in/", event_views.event_cancel, name="event_cancel"),
    path(
        "motesplatser/<uuid:public_id>/narvaro/",
        event_views.event_attendance,
        name="event_attendance",
    ),
    path("kompetensplaner/", competence_views.competence_list, name="competence_list"),
    path(
        "kompetensplaner/<uuid:public_id>/",
        competence_views.competence_detail,
        name="competence_detail",
    ),
    path(
        "kompetensplaner/<uuid:public_id>/insats/<uuid:item_id>/status/",
        competence_views.competence_item_status,
        name="competence_item_status",
    ),
]
