"""Defaults for `manage.py` on a developer's machine: DEBUG unless the environment says otherwise.

Servers never use this module: gunicorn (wsgi.py), Celery and the Docker image load
`reintegration.settings.base`, which refuses to start without a SECRET_KEY.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
# The demo logs in with a password only; TWO_STEP_LOGIN_REQUIRED=true tries the second step.
os.environ.setdefault("TWO_STEP_LOGIN_REQUIRED", "false")

from .base import *  # noqa: F403
