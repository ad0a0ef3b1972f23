from django.urls import path

from . import views

app_name = "cases"

# Every URL with <uuid:case_id> is case-scoped: its view must be wrapped in case_view
# (tests/cases/test_access_matrix.py walks this list and fails on any that is not).
urlpatterns = [
    path("emergency-access/", views.emergency_access, name="emergency_access"),
    path("<uuid:case_id>/profile/", views.profile_edit, name="profile_edit"),
    path("<uuid:case_id>/team/", views.team, name="team"),
    path("<uuid:case_id>/team/add/", views.team_add, name="team_add"),
    path("<uuid:case_id>/team/handover/", views.team_handover, name="team_handover"),
    path("<uuid:case_id>/team/<uuid:membership_id>/end/", views.team_end, name="team_end"),
    path("<uuid:case_id>/family/add/", views.family_add, name="family_add"),
    path("<uuid:case_id>/family/<uuid:member_id>/", views.family_edit, name="family_edit"),
    path("<uuid:case_id>/children/add/", views.child_add, name="child_add"),
    path("<uuid:case_id>/children/<uuid:child_id>/", views.child_edit, name="child_edit"),
    path("<uuid:case_id>/children/<uuid:child_id>/link/", views.child_link, name="child_link"),
    path("<uuid:case_id>/guardians/add/", views.guardian_add, name="guardian_add"),
    path(
        "<uuid:case_id>/guardians/<uuid:guardian_id>/",
        views.guardian_edit,
        name="guardian_edit",
    ),
    path(
        "<uuid:case_id>/best-interests/add/",
        views.best_interests_add,
        name="best_interests_add",
    ),
    path(
        "<uuid:case_id>/best-interests/<uuid:determination_id>/",
        views.best_interests_edit,
        name="best_interests_edit",
    ),
    path("<uuid:case_id>/consents/add/", views.consent_add, name="consent_add"),
    path(
        "<uuid:case_id>/consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<uuid:case_id>/stage/", views.stage_change, name="stage_change"),
    path("<uuid:case_id>/setbacks/add/", views.setback_add, name="setback_add"),
    path("<uuid:case_id>/risk/raise/", views.risk_raise, name="risk_raise"),
    path("<uuid:case_id>/risk/<uuid:flag_id>/clear/", views.risk_clear, name="risk_clear"),
    path(
        "<uuid:case_id>/alarms/<uuid:alarm_id>/acknowledge/",
        views.crisis_acknowledge,
        name="crisis_acknowledge",
    ),
    path("<uuid:case_id>/threats/add/", views.threat_add, name="threat_add"),
    path("<uuid:case_id>/threats/<uuid:threat_id>/", views.threat_edit, name="threat_edit"),
    path("<uuid:case_id>/safety-plan/add/", views.safety_plan_add, name="safety_plan_add"),
    path(
        "<uuid:case_id>/safety-plan/<uuid:safety_plan_id>/",
        views.safety_plan_edit,
        name="safety_plan_edit",
    ),
    path("<uuid:case_id>/who-knows/add/", views.disclosure_add, name="disclosure_add"),
    path(
        "<uuid:case_id>/who-knows/<uuid:disclosure_id>/",
        views.disclosure_edit,
        name="disclosure_edit",
    ),
    path("<uuid:case_id>/documents/add/", views.document_add, name="document_add"),
    path(
        "<uuid:case_id>/documents/<uuid:document_id>/",
        views.document_edit,
        name="document_edit",
    ),
    path(
        "<uuid:case_id>/documents/<uuid:document_id>/steps/add/",
        views.document_step_add,
        name="document_step_add",
    ),
    path("<uuid:case_id>/legal/add/", views.proceeding_add, name="proceeding_add"),
    path(
        "<uuid:case_id>/legal/<uuid:proceeding_id>/",
        views.proceeding_edit,
        name="proceeding_edit",
    ),
    path(
        "<uuid:case_id>/legal/<uuid:proceeding_id>/hearings/add/",
        views.hearing_add,
        name="hearing_add",
    ),
    path("<uuid:case_id>/hearings/<uuid:hearing_id>/", views.hearing_edit, name="hearing_edit"),
    path("<uuid:case_id>/case-reviews/plan/", views.case_review_plan, name="case_review_plan"),
    path(
        "<uuid:case_id>/case-reviews/<uuid:review_id>/",
        views.case_review_record,
        name="case_review_record",
    ),
    path("<uuid:case_id>/close/", views.close, name="close"),
    path("<uuid:case_id>/reopen/", views.reopen, name="reopen"),
    path("<uuid:case_id>/decline/", views.decline, name="decline"),
    path("<uuid:case_id>/history/", views.history, name="history"),
    path("<uuid:case_id>/access-log/", views.access_log, name="access_log"),
]
