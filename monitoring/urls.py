from django.urls import path

from . import views

app_name = "monitoring"

CONTACTS = "cases/<uuid:case_id>/contacts/"

urlpatterns = [
    path("follow-ups/", views.my_follow_ups, name="my_follow_ups"),
    path(CONTACTS, views.contact_list, name="contacts"),
    path(CONTACTS + "add/", views.contact_add, name="contact_add"),
    path(CONTACTS + "<uuid:contact_id>/", views.contact_edit, name="contact_edit"),
    path("cases/<uuid:case_id>/cadence/", views.cadence, name="cadence"),
    path("cases/<uuid:case_id>/keep-open/", views.keep_open, name="keep_open"),
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
