from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.middleware import before_password_change, before_two_step
from accounts.views import set_language
from casework.views import home
from core.views import health

admin.site.site_header = _("Case management administration")
admin.site.site_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),
    # The health check for proxies and orchestrators: no login, no personal data, and open
    # whatever login step a browser's session still owes.
    path("health/", before_two_step(before_password_change(health)), name="health"),
    path("accounts/", include("accounts.urls")),
    # Django's set_language (django.conf.urls.i18n), which also keeps a staff member's choice.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("casework.urls")),
    path("", include("supervision.urls")),
    path("", include("reports.urls")),
    path("", include("exchange.urls")),
    path("cases/", include("cases.urls")),
    path("", include("directory.urls")),
    path("", include("notifications.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
    path("", include("monitoring.urls")),
    path("", include("referrals.urls")),
    path("admin/", admin.site.urls),
]
