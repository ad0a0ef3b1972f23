from django.urls import path

from . import views

app_name = "assessments"

CASE = "cases/<uuid:case_id>/assessments/"
ASSESSMENT = CASE + "<uuid:assessment_id>/"

urlpatterns = [
    path("assessments/mine/", views.mine, name="mine"),
    path(CASE, views.assessment_list, name="list"),
    path(CASE + "start/", views.start_review, name="start"),
    path(ASSESSMENT, views.detail, name="detail"),
    path(ASSESSMENT + "sections/<uuid:section_id>/", views.section_edit, name="section_edit"),
    path(ASSESSMENT + "scores/", views.scores, name="scores"),
    path(ASSESSMENT + "complete/", views.complete, name="complete"),
]
