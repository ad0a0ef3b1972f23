from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("supervision/reports/", views.report, name="report"),
    path(
        "supervision/reports/outcome-breakdowns/",
        views.outcome_breakdowns,
        name="outcome_breakdowns",
    ),
    path(
        "supervision/reports/outcome-breakdowns/export.csv",
        views.outcome_breakdowns_export,
        name="outcome_breakdowns_export",
    ),
    path("supervision/reports/<slug:key>.csv", views.report_export, name="report_export"),
    path("supervision/cases.csv", views.cases_export, name="cases_export"),
]
