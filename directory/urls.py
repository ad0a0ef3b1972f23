from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("services/", views.directory, name="directory"),
    path("services/handout/", views.handout, name="handout"),
    path("services/providers/", views.providers, name="providers"),
    path("services/providers/add/", views.provider_add, name="provider_add"),
    path("services/providers/<uuid:provider_id>/", views.provider_detail, name="provider"),
    path(
        "services/providers/<uuid:provider_id>/edit/",
        views.provider_edit,
        name="provider_edit",
    ),
    path(
        "services/providers/<uuid:provider_id>/add-service/",
        views.service_add,
        name="service_add",
    ),
    path("services/<uuid:service_id>/", views.service_detail, name="service"),
    path("services/<uuid:service_id>/edit/", views.service_edit, name="service_edit"),
]
