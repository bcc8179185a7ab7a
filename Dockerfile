# syntax=docker/dockerfile:1
# Production image. No Docker engine runs on the project's machines: this file is kept correct by
# reading it against the commands CI runs (`make install`, `collectstatic`, gunicorn in `make serve`).

FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements.lock ./
RUN python -m venv /venv \
 && /venv/bin/pip install --require-hashes --no-deps -r requirements.lock

FROM python:3.13-slim AS app
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=false PORT=8000
RUN useradd --system --uid 10001 --home-dir /app atlas
WORKDIR /app
COPY --from=build /venv /venv
COPY --chown=atlas:atlas . .
# Static files are built into the image; the throwaway values only let settings load.
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:1/none \
    python manage.py collectstatic --no-input -v0
USER atlas
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY:-2} --access-logfile - --no-control-socket"]
