"""Test settings: the base settings with fast hashing and no external e-mail."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "false")
# Tests log staff in directly; the two-step login tests require the second step themselves.
os.environ.setdefault("TWO_STEP_LOGIN_REQUIRED", "false")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-checks-0123456789"
)

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run tasks in-process; the Redis tests switch to a real broker and worker.
CELERY_TASK_ALWAYS_EAGER = True

# Tests never run collectstatic; let WhiteNoise look files up on each request instead.
WHITENOISE_AUTOREFRESH = True
