from django.urls import path

from . import views

app_name = "knowledge"


def _content(prefix: str, segment: str, kind: str, list_view, detail_view) -> list:
    return [
        path(f"{segment}/", list_view, name=f"{prefix}_list"),
        path(f"{segment}/ny/", views.entry_create, {"kind_code": kind}, name=f"{prefix}_create"),
        path(f"{segment}/<slug:code>/", detail_view, name=f"{prefix}_detail"),
        path(
            f"{segment}/<slug:code>/andra/",
            views.entry_edit,
            {"kind_code": kind},
            name=f"{prefix}_edit",
        ),
        path(
            f"{segment}/<slug:code>/historik/",
            views.entry_history,
            {"kind_code": kind},
            name=f"{prefix}_history",
        ),
    ]


urlpatterns = [
    path("", views.index, name="index"),
    path("barn/<uuid:child_id>/faktorer/", views.child_factors, name="child_factors"),
    path("sok/", views.search, name="search"),
    path("introduktion/", views.introduction, name="introduction"),
    *_content("actor", "aktorer", "actor", views.actor_list, views.actor_detail),
    *_content("concept", "begrepp", "concept", views.concept_list, views.concept_detail),
    *_content("factor", "faktorer", "factor", views.factor_list, views.factor_detail),
    *_content("method", "metoder", "method", views.method_list, views.method_detail),
    *_content(
        "suggestion", "forslag", "suggestion", views.suggestion_list, views.suggestion_detail
    ),
    path("checklista/", views.checklist, name="checklist"),
    path("checklista/punkt/", views.checklist_item_add, name="checklist_item_add"),
    path(
        "checklista/punkt/<uuid:item_id>/klar/",
        views.checklist_item_mark,
        name="checklist_item_mark",
    ),
    path(
        "checklista/punkt/<uuid:item_id>/ta-bort/",
        views.checklist_item_remove,
        name="checklist_item_remove",
    ),
    path("checklista/utskrift/", views.checklist_print, name="checklist_print"),
    path("motesplatser/", views.event_list, name="event_list"),
    path("motesplatser/ny/", views.event_create, name="event_create"),
    path("motesplatser/<uuid:public_id>/", views.event_detail, name="event_detail"),
    path("motesplatser/<uuid:public_id>/andra/", views.event_edit, name="event_edit"),
    path("motesplatser/<uuid:public_id>/anmal/", views.event_register, name="event_register"),
    path("motesplatser/<uuid:public_id>/avanmal/", views.event_unregister, name="event_unregister"),
    path("motesplatser/<uuid:public_id>/stall-in/", views.event_cancel, name="event_cancel"),
    path("motesplatser/<uuid:public_id>/narvaro/", views.event_attendance, name="event_attendance"),
    path("kompetensplaner/", views.competence_list, name="competence_list"),
    path("kompetensplaner/<uuid:public_id>/", views.competence_detail, name="competence_detail"),
    path(
        "kompetensplaner/<uuid:public_id>/insats/<uuid:item_id>/status/",
        views.competence_item_status,
        name="competence_item_status",
    ),
]
