from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("nytt/", views.create, name="create"),
    path("startkort/", views.home_card, name="home_card"),
    path("<uuid:agreement_id>/", views.detail, name="detail"),
    path("<uuid:agreement_id>/andra/", views.edit, name="edit"),
    path("<uuid:agreement_id>/historik/", views.history, name="history"),
    path("<uuid:agreement_id>/jamfor/", views.compare, name="compare"),
    path("<uuid:agreement_id>/dokument.pdf", views.pdf, name="pdf"),
    path("<uuid:agreement_id>/synpunkt/", views.comment, name="comment"),
    path("<uuid:agreement_id>/synpunkt/<uuid:comment_id>/svar/", views.decide, name="decide"),
    path("<uuid:agreement_id>/bilagor/", views.attachment_add, name="attachment_add"),
    path(
        "<uuid:agreement_id>/bilagor/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "<uuid:agreement_id>/bilagor/<uuid:attachment_id>/ta-bort/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
