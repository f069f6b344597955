from django.urls import path

from . import views
from .oidc import backchannel
from .oidc import views as oidc_views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-in/kod/", views.otp_verify, name="otp_verify"),
    path("logga-in/e-legitimation/", oidc_views.start, name="oidc_start"),
    path("logga-in/e-legitimation/svar/", oidc_views.callback, name="oidc_callback"),
    path("logga-in/e-legitimation/utloggning/", backchannel.logout, name="oidc_backchannel"),
    path("tvastegsverifiering/aktivera/", views.otp_enrol, name="otp_enrol"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("roll/", views.choose_role, name="choose_role"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
]
