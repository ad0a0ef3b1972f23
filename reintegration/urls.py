from django.contrib import admin
from django.urls import include, path

from casework.views import home

admin.site.site_header = "Case management administration"
admin.site.site_title = "Administration"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("", include("casework.urls")),
    path("", include("supervision.urls")),
    path("", include("reports.urls")),
    path("cases/", include("cases.urls")),
    path("", include("directory.urls")),
    path("", include("notifications.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
    path("", include("monitoring.urls")),
    path("", include("referrals.urls")),
    path("admin/", admin.site.urls),
]
