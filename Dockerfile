# The production image: one image for web (gunicorn), worker and beat (Celery); see docker-compose.yml.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

RUN useradd --system --create-home --home-dir /home/breachwatch breachwatch
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# The build steps load the production settings (DEBUG off), which refuse to start without their secrets.
# These dummies, named build-only, exist for this one RUN: exported in its shell, not ENV, so they never reach
# the image or a container (which gets the real values from .env), and nothing built here is signed, hashed
# or encrypted with them. The key is base64 of "build-only-dummy-key-not-secret!" (32 bytes, as required).
RUN export DEBUG=false \
        SECRET_KEY=build-only-dummy-secret-key \
        IDENTIFIER_PEPPER=build-only-dummy-pepper \
        IDENTIFIER_ENCRYPTION_KEYS=YnVpbGQtb25seS1kdW1teS1rZXktbm90LXNlY3JldCE= \
        SITE_URL=https://build-only.invalid SITE_OPERATOR_NAME=build-only SITE_OPERATOR_ADDRESS=build-only \
        SITE_CONTACT_EMAIL=build-only@build-only.invalid \
 && python manage.py compile_translations \
 && python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media /app/var/imports && chown -R breachwatch /app/var /app/locale

USER breachwatch
EXPOSE 8000
# gunicorn reads workers, worker class and timeout from /app/gunicorn.conf.py.
CMD ["gunicorn", "breachwatch.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
