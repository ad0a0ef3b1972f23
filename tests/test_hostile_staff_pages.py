"""The pages outside case files added for logins, emergencies, complaints and retention:
nonsense in every field is refused politely, never a server error, nothing half-saved."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from accounts import forms as account_forms
from cases import forms as case_forms
from cases.models import EmergencyAccess
from supervision import forms as supervision_forms
from supervision.models import Complaint
from tests.cases.test_hostile_input import NONSENSE
from tests.conftest import World

FIELDS = [
    "code", "password", "old_password", "new_password1", "new_password2", "next",
    "renew-password", "renew-code", "remove-password", "remove-code",
    "case_code", "reason", "confirm", "cases", "note", "response", "resolved_on",
    *supervision_forms.ComplaintForm.base_fields,
]  # fmt: skip
assert set(account_forms.ConfirmWithPasswordForm.base_fields) <= {"password", "code"}
assert set(case_forms.EmergencyAccessForm.base_fields) <= set(FIELDS)

# (url name, who posts)
PAGES = [
    ("two_step_verify", "case_manager"),
    ("two_step_set_up", "case_manager"),
    ("password_change", "case_manager"),
    ("two_step_backup_codes", "case_manager"),
    ("two_step_remove", "case_manager"),
    ("cases:emergency_access", "colleague"),
    ("supervision:complaint_add_anonymous", "colleague"),
    ("supervision:complaints", "supervisor"),
    ("supervision:emergency_reviews", "supervisor"),
    ("supervision:retention", "supervisor"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(NONSENSE))
@pytest.mark.parametrize(("page", "persona"), PAGES)
def test_nonsense_is_refused_politely(
    client: Any, world: World, page: str, persona: str, kind: str
) -> None:
    user = world.personas()[persona]
    client.force_login(user)
    response = client.post(reverse(page), {field: NONSENSE[kind] for field in FIELDS})
    assert response.status_code in (200, 302, 404, 405)
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not EmergencyAccess.objects.exists() and not Complaint.objects.exists()
    user.refresh_from_db()
    assert user.check_password("test-pass-123")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(NONSENSE))
def test_nonsense_in_the_answers_to_a_complaint_and_an_emergency_access(
    client: Any, world: World, kind: str
) -> None:
    from cases import emergency
    from supervision import services as supervision_services

    complaint = supervision_services.complaint_record(
        actor=world.case_manager,
        beneficiary=world.case,
        data={"received_on": world.case.admitted_on, "channel": "phone", "subject": "plan",
              "details": "Said so."},
    )  # fmt: skip
    access = emergency.emergency_access_open(
        user=world.colleague, case_code=world.case.case_code, reason="Crisis call at night."
    )
    client.force_login(world.supervisor)
    for url in (
        reverse("supervision:complaint_resolve", args=[complaint.public_id]),
        reverse("supervision:emergency_review", args=[access.public_id]),
    ):
        response = client.post(url, {field: NONSENSE[kind] for field in FIELDS})
        assert response.status_code == 302  # back to the list, the refusal said there
    complaint.refresh_from_db()
    access.refresh_from_db()
    # The answers are free text: anything within their length may be taken (an impossible
    # date in the complaint's date field is refused); 5,000 characters never are.
    if kind == "long":
        assert complaint.status == "open" and access.reviewed_at is None
