# The two commands that matter: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
DEV_ENV := DEBUG=true

.PHONY: run test lint format migrations-check deploy-check worker beat seed clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files re-run an install only when its requirements file changes.
$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.test-installed: requirements/test.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

# Without Redis there is no Celery beat: a loop runs the same reminder scan every five
# minutes beside the development server, and stops with it. In development the e-mails are
# printed, not sent: they go to reminders.log.
run: $(VENV)/.base-installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	( while true; do $(DEV_ENV) $(BIN)/python manage.py send_reminders >> reminders.log 2>&1; sleep 300; done ) & \
	reminders=$$!; trap "kill $$reminders" EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

seed: $(VENV)/.base-installed
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

test: $(VENV)/.test-installed
	$(BIN)/pytest $(PYTEST_ARGS)

# ruff (style), import-linter (each app imports only from the tiers below it: pyproject.toml)
# and mypy with django-stubs (types).
lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/mypy

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.base-installed
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# A production-like environment must pass Django's deployment checklist with no warnings.
# It has Redis (core/checks.py warns without it); the check only reads the address.
deploy-check: $(VENV)/.base-installed
	DJANGO_SETTINGS_MODULE=reintegration.settings.base DEBUG=false ALLOWED_HOSTS=example.org \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# After marking or changing texts: refresh the Albanian and Indonesian catalogs from the code
# and templates, translate what is new (locale/GLOSSARY.md), then compile them. Needs GNU
# gettext (Debian: apt install gettext); running the site does not, since the compiled .mo
# files are committed.
# English (en_GB) is the source language: its catalog gives every message back unchanged
# (msgen), so that English pages find their words at once instead of searching every
# installed app's catalog and failing (about four times slower, on every string of a page).
messages: $(VENV)/.base-installed
	$(DEV_ENV) $(BIN)/python manage.py makemessages --locale sq --locale id --locale en_GB \
		--no-obsolete --add-location file --ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*'
	msgen --output-file=locale/en_GB/LC_MESSAGES/django.po locale/en_GB/LC_MESSAGES/django.po
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --locale sq --locale id --locale en_GB \
		--ignore '.venv/*'

worker: $(VENV)/.base-installed
	$(BIN)/celery -A reintegration worker --loglevel=INFO

beat: $(VENV)/.base-installed
	$(BIN)/celery -A reintegration beat --loglevel=INFO

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
