from django.urls import path

from . import views

app_name = "supervision"

EMERGENCY = "supervision/emergency-access/"

urlpatterns = [
    path("supervision/", views.dashboard, name="review"),
    path("supervision/cases/", views.cases_behind, name="cases"),
    path("supervision/overdue/", views.overdue, name="overdue"),
    path("supervision/reassign/", views.reassign, name="reassign"),
    path("supervision/records/", views.records, name="records"),
    path("supervision/records/add/", views.record_add, name="record_add"),
    path("supervision/retention/", views.retention, name="retention"),
    path("supervision/complaints/", views.complaints, name="complaints"),
    path(
        "supervision/complaints/<uuid:complaint_id>/answer/",
        views.complaint_resolve,
        name="complaint_resolve",
    ),
    path(EMERGENCY, views.emergency_reviews, name="emergency_reviews"),
    path(EMERGENCY + "<uuid:access_id>/review/", views.emergency_review, name="emergency_review"),
    path("cases/access-log/", views.organisation_access_log, name="organisation_access_log"),
    path("complaints/new/", views.complaint_add_anonymous, name="complaint_add_anonymous"),
    path("cases/<uuid:case_id>/complaints/add/", views.complaint_add, name="complaint_add"),
]
