"""No input a user can type gives a server error: every case form gets nonsense in every field."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from django import forms as django_forms
from django.urls import reverse

from assessments import forms as assessment_forms
from assessments.choices import OutcomeDomain
from cases import forms as case_forms
from cases.models import Beneficiary
from monitoring import forms as monitoring_forms
from plans import forms as plan_forms
from referrals import forms as referral_forms
from tests.cases.test_access_matrix import _url_kwargs, case_scoped_urls
from tests.conftest import World

FIELD_NAMES = sorted(
    {
        name
        for module in (case_forms, assessment_forms, plan_forms, referral_forms, monitoring_forms)
        for _, form_class in inspect.getmembers(module, inspect.isclass)
        if issubclass(form_class, django_forms.BaseForm)
        and form_class.__module__ == module.__name__
        for name in form_class.base_fields
    }
    | {f"{kind}_{domain}" for kind in ("score", "note") for domain in OutcomeDomain.values}
)

NONSENSE = {
    "long": "x" * 5000,
    "impossible date": "2026-02-30",
    "ancient date": "0001-01-01",
    "far future": "9999-12-31",
    "negative": "-1",
    "huge number": "9" * 30,
    "markup": "<script>alert(1)</script>",
    "null byte": "a\x00b",
    "not a uuid or id": "' OR 1=1 --",
}


@pytest.mark.parametrize("kind", list(NONSENSE))
@pytest.mark.parametrize("name", ["casework:intake", *[name for name, _ in case_scoped_urls()]])
def test_nonsense_is_refused_politely(client: Any, world: World, name: str, kind: str) -> None:
    patterns = dict(case_scoped_urls())
    url = (
        reverse(name, kwargs=_url_kwargs(world, patterns[name]))
        if name in patterns
        else reverse(name)
    )
    client.force_login(world.supervisor)  # may reach every form
    cases_before = Beneficiary.objects.count()

    response = client.post(url, {field: NONSENSE[kind] for field in FIELD_NAMES})

    # The form again with its messages, or a saved draft where every field is free text;
    # pages that only show data refuse a POST. Never a server error.
    assert response.status_code in (200, 302, 405)
    assert Beneficiary.objects.count() == cases_before
    assert "<script>alert(1)</script>" not in response.content.decode()
