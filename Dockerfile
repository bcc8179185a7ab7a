# syntax=docker/dockerfile:1
# Production image. `docker build .` builds it on python:3.13-slim. `make image` builds it with
# podman on a stand-in base made from Debian's packages (BASE_IMAGE), and `make image-test` runs
# it against PostgreSQL and checks it (scripts/image_build.sh, scripts/image_test.py).
ARG BASE_IMAGE=python:3.13-slim

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# Runtime dependencies only: the same pins as requirements.lock, without the test tools.
COPY requirements-prod.lock ./
# pip itself is removed afterwards: production installs nothing at run time.
RUN python -m venv /venv \
 && /venv/bin/pip install --require-hashes --no-deps -r requirements-prod.lock \
 && /venv/bin/pip uninstall -y -q pip

FROM ${BASE_IMAGE} AS app
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=false PORT=8000
RUN useradd --system --uid 10001 --home-dir /app atlas
WORKDIR /app
COPY --from=build /venv /venv
# What is copied is listed in .dockerignore (an allow-list: the app, never tests or secrets).
# Owned by root: the app cannot rewrite its own code; it writes nothing but /tmp.
COPY . .
# Static files are built into the image; the throwaway values only let settings load.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:1/none \
    python manage.py collectstatic --no-input -v0
USER atlas
EXPOSE 8000
# Asks for /healthz under the first of DJANGO_ALLOWED_HOSTS, so it passes Django's host check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["python", "/app/scripts/healthcheck.py"]
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --access-logfile - --no-control-socket"]
