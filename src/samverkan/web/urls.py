from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-in/kod/", views.otp_verify, name="otp_verify"),
    path("tvastegsverifiering/aktivera/", views.otp_enrol, name="otp_enrol"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("roll/", views.choose_role, name="choose_role"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
