"""Writes to the service directory: supervisors and administrators keep it. One transaction each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import Role, User
from core.records import save_record
from core.validators import not_in_future
from core.wording import require_neutral

from .models import Provider, Service

# Who keeps the directory; everyone else reads it.
EDITORS = (Role.SUPERVISOR, Role.ADMINISTRATOR)


def may_edit_directory(user: User) -> bool:
    return user.role in EDITORS


def _check_directory_editor(actor: User) -> None:
    if not may_edit_directory(actor):
        raise ValidationError(
            gettext("Only supervisors and administrators edit the service directory.")
        )


@transaction.atomic
def provider_save(
    *, actor: User, data: dict[str, Any], provider: Provider | None = None, opened_at: str = ""
) -> Provider:
    """Add an organisation (provider=None) or change one, as opened at version `opened_at`."""
    _check_directory_editor(actor)
    provider = provider or Provider()
    for name, value in data.items():
        setattr(provider, name, value)
    require_neutral(
        {
            "printed_name": provider.name_on_paper,
            **{f"printed_name_{code}": name for code, name in provider.printed_names.items()},
        }
    )
    not_in_future(
        provider.confidentiality_agreement_on,
        "confidentiality_agreement_on",
        gettext("agreement date"),
    )
    save_record(provider, actor, opened_at=opened_at)
    return provider


@transaction.atomic
def service_save(
    *,
    actor: User,
    provider: Provider,
    data: dict[str, Any],
    service: Service | None = None,
    opened_at: str = "",
) -> Service:
    """Add a service (service=None) or change one, as opened at version `opened_at`."""
    _check_directory_editor(actor)
    service = service or Service(provider=provider)
    for name, value in data.items():
        setattr(service, name, value)
    # Everything a handout prints must be safe to carry.
    require_neutral(
        {
            "name": service.name,
            "description": service.description,
            "eligibility": service.eligibility,
            "how_to_access": service.how_to_access,
            **{
                f"{field}_{code}": text
                for code, texts in service.printed_texts.items()
                for field, text in texts.items()
            },
        }
    )
    save_record(service, actor, opened_at=opened_at)
    return service
