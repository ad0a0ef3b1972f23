"""The authentication backend: Django's, loading the user's organisation in the same query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class ModelBackendWithOrganisation(ModelBackend):
    """Every page shows the user's organisation and most scope by it: join it, don't query it."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
