from django.urls import path

from . import views

app_name = "referrals"

CASE = "cases/<uuid:case_id>/"
REFERRAL = CASE + "referrals/<uuid:referral_id>/"

urlpatterns = [
    # Referrals across cases
    path("referrals/mine/", views.my_referrals, name="mine"),
    path("referrals/review/", views.review, name="review"),
    path("transfers/<uuid:transfer_id>/accept/", views.transfer_accept, name="transfer_accept"),
    path("transfers/<uuid:transfer_id>/decline/", views.transfer_decline, name="transfer_decline"),
    # A case's referrals, unmet needs and transfers
    path(CASE + "referrals/", views.case_referrals, name="case"),
    path(CASE + "referrals/new/", views.referral_add, name="add"),
    path(REFERRAL, views.referral_detail, name="detail"),
    path(REFERRAL + "edit/", views.referral_edit, name="edit"),
    path(REFERRAL + "send/", views.referral_send, name="send"),
    path(REFERRAL + "status/", views.referral_status, name="status"),
    path(REFERRAL + "outcome/", views.referral_follow_through, name="follow_through"),
    path(REFERRAL + "override/", views.override_request, name="override"),
    path(
        REFERRAL + "overrides/<uuid:override_id>/decide/",
        views.override_decide,
        name="override_decide",
    ),
    path(REFERRAL + "letter/", views.referral_letter, name="letter"),
    path(CASE + "unmet-needs/add/", views.unmet_need_add, name="unmet_need_add"),
    path(
        CASE + "unmet-needs/<uuid:need_id>/resolve/",
        views.unmet_need_resolve,
        name="unmet_need_resolve",
    ),
    path(CASE + "transfer/", views.transfer_request, name="transfer"),
    path(
        CASE + "transfers/<uuid:transfer_id>/cancel/",
        views.transfer_cancel,
        name="transfer_cancel",
    ),
]
