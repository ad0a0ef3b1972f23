from django.urls import URLPattern, path

from . import views

app_name = "exchange"

urlpatterns: list[URLPattern] = []

# HTCDS export
urlpatterns += [
    path("supervision/htcds/export/", views.case_sheet_export, name="export"),
    path("supervision/htcds/export/mapping/", views.htcds_mapping, name="mapping"),
]

# HTCDS import
urlpatterns += [
    path("supervision/htcds/import/", views.import_upload, name="import_upload"),
    path(
        "supervision/htcds/import/<uuid:upload_id>/",
        views.import_review,
        name="import_review",
    ),
    path(
        "supervision/htcds/import/<uuid:upload_id>/cancel/",
        views.import_cancel,
        name="import_cancel",
    ),
]
