from django.urls import path

from . import edit_views, views

app_name = "legal"

urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("historik/", edit_views.history_page, name="history"),
    path("andringar/", edit_views.change_list, name="changes"),
    path("andringar/ny/", edit_views.change_new, name="change_new"),
    path("andringar/<uuid:public_id>/", edit_views.change_detail, name="change"),
    path("andringar/<uuid:public_id>/granska/", edit_views.change_review, name="change_review"),
]
