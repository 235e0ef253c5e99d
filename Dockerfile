# The production image: one image for web (gunicorn), worker and beat (Celery); see docker-compose.yml.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --system --create-home --home-dir /home/breachwatch breachwatch
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN DEBUG=false SECRET_KEY=build-only-not-used-at-runtime python manage.py compile_translations \
 && DEBUG=false SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/imports && chown -R breachwatch /app/var /app/locale

USER breachwatch
EXPOSE 8000
CMD ["gunicorn", "breachwatch.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
