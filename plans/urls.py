from django.urls import path

from . import views

app_name = "plans"

PLAN = "cases/<uuid:case_id>/plan/"
VERSION = PLAN + "<uuid:version_id>/"

urlpatterns = [
    path("tasks/", views.my_tasks, name="my_tasks"),
    path(PLAN, views.overview, name="overview"),
    path(PLAN + "start/", views.start, name="start"),
    path(VERSION, views.version_detail, name="version"),
    path(VERSION + "edit/", views.version_edit, name="version_edit"),
    path(VERSION + "goals/add/", views.goal_add, name="goal_add"),
    path(VERSION + "goals/<uuid:goal_id>/", views.goal_edit, name="goal_edit"),
    path(VERSION + "goals/<uuid:goal_id>/progress/", views.goal_progress, name="goal_progress"),
    path(VERSION + "goals/<uuid:goal_id>/tasks/add/", views.task_add, name="task_add"),
    path(VERSION + "tasks/<uuid:task_id>/", views.task_edit, name="task_edit"),
    path(VERSION + "tasks/<uuid:task_id>/progress/", views.task_progress, name="task_progress"),
    path(VERSION + "sign/", views.sign, name="sign"),
    path(VERSION + "new-version/", views.new_version, name="new_version"),
    path(VERSION + "pdf/", views.pdf, name="pdf"),
]
