from django.urls import path

from . import views

app_name = "casework"

urlpatterns = [
    path("cases/", views.caseload, name="caseload"),
    path("cases/new/", views.intake, name="intake"),
    path("cases/<uuid:case_id>/", views.case_detail, name="detail"),
]
