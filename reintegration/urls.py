from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import home, still_here

admin.site.site_header = "Case management administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/still-here/", still_here, name="still_here"),
    path("cases/", include("cases.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
    path("", include("monitoring.urls")),
    path("", include("referrals.urls")),
    path("admin/", admin.site.urls),
]
