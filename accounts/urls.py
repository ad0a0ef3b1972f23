"""Logging in and out, the login steps and each person's login security.

Included without a namespace: `login` and `logout` are the names Django's auth expects.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .middleware import before_password_change, before_two_step

SECURITY = "login-security/"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path(
        "logout/",
        before_two_step(before_password_change(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    path("still-here/", views.still_here, name="still_here"),
    path("two-step/", views.two_step_verify, name="two_step_verify"),
    path("two-step/set-up/", views.two_step_set_up, name="two_step_set_up"),
    path("password/", views.password_change, name="password_change"),
    path(SECURITY, views.login_security, name="login_security"),
    path(SECURITY + "log-out-elsewhere/", views.logins_elsewhere_end, name="logins_elsewhere_end"),
    path(SECURITY + "reminder-e-mails/", views.reminder_emails, name="reminder_emails"),
    path(SECURITY + "backup-codes/", views.two_step_backup_codes, name="two_step_backup_codes"),
    path(SECURITY + "remove/", views.two_step_remove, name="two_step_remove"),
]
