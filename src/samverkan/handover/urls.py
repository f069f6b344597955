from django.urls import path

from . import views

app_name = "handover"

urlpatterns = [
    path("barn/<uuid:child_id>/", views.child_handovers, name="child_handovers"),
    path("barn/<uuid:child_id>/ny/", views.new, name="new"),
    path("<uuid:handover_id>/", views.detail, name="detail"),
    path("<uuid:handover_id>/kvittera/", views.receive, name="receive"),
    path("<uuid:handover_id>/avvisa/", views.refuse, name="refuse"),
]
