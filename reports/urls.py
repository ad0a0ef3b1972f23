from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("supervision/reports/", views.report, name="report"),
    path("supervision/reports/<slug:key>.csv", views.report_export, name="report_export"),
    path("supervision/cases.csv", views.cases_export, name="cases_export"),
]
