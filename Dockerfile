# syntax=docker/dockerfile:1
#
# Wattkey production image.
#   docker build -t wattkey:local .
#   docker run --rm -p 8000:8000 --env-file wattkey.env wattkey:local
#
# Stage 1 builds a virtualenv with the project and its pinned dependencies (pip install . from
# pyproject.toml); stage 2 is a slim runtime with only that virtualenv and the application
# folder, running as an unprivileged user. Configuration is read from the environment
# (README, Configuration); the defaults below are the container's, not the program's.

ARG PYTHON_IMAGE=python:3.11-slim
ARG NODE_IMAGE=node:20-slim

# ---------------------------------------------------------------------------------------------
# The web console: npm ci and the production build, into /src/console/dist.
FROM ${NODE_IMAGE} AS console

WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv

WORKDIR /src

# Dependencies first, from pyproject.toml alone, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt

# Then the project itself (packages routers, services, storage, console; modules server,
# settings), with the console built in its stage.
COPY . .
COPY --from=console /src/console/dist ./console/dist
RUN pip install --no-cache-dir --no-deps .

# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

ARG GIT_SHA=unknown
LABEL org.opencontainers.image.title="wattkey" \
      org.opencontainers.image.description="Multi-tenant energy-usage data service" \
      org.opencontainers.image.revision="${GIT_SHA}"

RUN groupadd --system --gid 10001 wattkey \
    && useradd --system --uid 10001 --gid wattkey --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin wattkey \
    && mkdir -p /var/lib/wattkey \
    && chown wattkey:wattkey /var/lib/wattkey

COPY --from=build /opt/venv /opt/venv
# The whole build context minus .dockerignore: server.py, settings.py and the packages. Owned
# by root and compiled here: the service user can read it but not change it.
COPY --chown=root:root . /app
COPY --from=console --chown=root:root /src/console/dist /app/console/dist
RUN python -m compileall -q /app \
    && chmod -R a+rX,go-w /app

ENV PATH=/opt/venv/bin:$PATH \
    VIRTUAL_ENV=/opt/venv \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    APP_HOST=0.0.0.0 \
    APP_PORT=8000 \
    STORAGE_BACKEND=aws \
    WEB_CONCURRENCY=2 \
    DATA_DIR=/var/lib/wattkey \
    LOG_FORMAT=json

WORKDIR /app
USER 10001:10001

EXPOSE 8000

# GET http://127.0.0.1:${APP_PORT}/health with the image's own Python (slim has no curl); /health
# answers 503 when the storage backend is unreachable, urlopen then raises: exit status 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('APP_PORT', '8000'), timeout=4)"]

STOPSIGNAL SIGTERM
CMD ["python", "server.py"]
