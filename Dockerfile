FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=reintegration.settings.base
# Pango and HarfBuzz for WeasyPrint's PDF rendering.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
# collectstatic needs settings to load; this key exists only during the build.
RUN SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 app && chown -R app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "reintegration.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
