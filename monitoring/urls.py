from django.urls import path

from . import supervision_views, views

app_name = "monitoring"

CONTACTS = "cases/<uuid:case_id>/contacts/"

urlpatterns = [
    path("supervision/", supervision_views.dashboard, name="supervision"),
    path("supervision/cases/", supervision_views.cases_behind, name="supervision_cases"),
    path("supervision/reassign/", supervision_views.reassign, name="reassign"),
    path("supervision/reports/", supervision_views.report, name="reports"),
    path(
        "supervision/reports/<slug:key>.csv", supervision_views.report_export, name="report_export"
    ),
    path("supervision/cases.csv", supervision_views.cases_export, name="cases_export"),
    path("supervision/records/", supervision_views.records, name="supervision_records"),
    path("supervision/retention/", supervision_views.retention, name="retention"),
    path("supervision/complaints/", supervision_views.complaints, name="complaints"),
    path(
        "supervision/complaints/<uuid:complaint_id>/answer/",
        supervision_views.complaint_resolve,
        name="complaint_resolve",
    ),
    path("complaints/new/", views.complaint_add_anonymous, name="complaint_add_anonymous"),
    path("cases/<uuid:case_id>/complaints/add/", views.complaint_add, name="complaint_add"),
    path(
        "supervision/emergency-access/",
        supervision_views.emergency_reviews,
        name="emergency_reviews",
    ),
    path(
        "supervision/emergency-access/<uuid:access_id>/review/",
        supervision_views.emergency_review,
        name="emergency_review",
    ),
    path("supervision/records/add/", supervision_views.record_add, name="supervision_record_add"),
    path("follow-ups/", views.my_follow_ups, name="my_follow_ups"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path(CONTACTS, views.contact_list, name="contacts"),
    path(CONTACTS + "add/", views.contact_add, name="contact_add"),
    path(CONTACTS + "<uuid:contact_id>/", views.contact_edit, name="contact_edit"),
    path("cases/<uuid:case_id>/cadence/", views.cadence, name="cadence"),
    path("cases/<uuid:case_id>/milestones/", views.milestones, name="milestones"),
    path(
        "cases/<uuid:case_id>/milestones/<int:milestone_id>/mark/",
        views.milestone_mark,
        name="milestone_mark",
    ),
    path(
        "cases/<uuid:case_id>/milestones/<int:milestone_id>/unmark/",
        views.milestone_unmark,
        name="milestone_unmark",
    ),
]
