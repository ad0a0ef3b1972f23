from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as accounts
from accounts.middleware import before_password_change, before_two_step

admin.site.site_header = "Case management administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", accounts.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path(
        "accounts/logout/",
        before_two_step(before_password_change(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    path("accounts/still-here/", accounts.still_here, name="still_here"),
    path("accounts/two-step/", accounts.two_step_verify, name="two_step_verify"),
    path("accounts/two-step/set-up/", accounts.two_step_set_up, name="two_step_set_up"),
    path("accounts/login-security/", accounts.login_security, name="login_security"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path(
        "accounts/login-security/log-out-elsewhere/",
        accounts.logins_elsewhere_end,
        name="logins_elsewhere_end",
    ),
    path(
        "accounts/login-security/backup-codes/",
        accounts.two_step_backup_codes,
        name="two_step_backup_codes",
    ),
    path("accounts/login-security/remove/", accounts.two_step_remove, name="two_step_remove"),
    path("cases/", include("cases.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
    path("", include("monitoring.urls")),
    path("", include("referrals.urls")),
    path("admin/", admin.site.urls),
]
