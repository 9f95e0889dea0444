# The app's one image: docker-compose.yml runs the migrations, the web servers (gunicorn with
# deploy/gunicorn.conf.py) and the task worker from it. Slim, and never root at run time.
# Bookworm, whose postgresql-client is 15, the server's version in docker-compose.yml: `manage.py
# backup` and `restore` run pg_dump/pg_restore of the server's own version (docs/backups.md).
FROM python:3.12-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=newsroom.settings.production \
    GUNICORN_BIND=0.0.0.0:8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom
WORKDIR /app
# Dependencies first, so that a change of code alone reuses this layer.
COPY pyproject.toml README.md ./
COPY newsroom newsroom
COPY articles articles
COPY regions regions
COPY staff staff
COPY editorial editorial
COPY syndication syndication
COPY network network
COPY photos photos
COPY demo demo
RUN pip install .
COPY . .
# Static files are part of the image (whitenoise serves them, nginx caches them); the media
# folder belongs to the app's user, so the named volume mounted on it is writable by it.
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/media /app/backups \
    && chown newsroom:newsroom /app/media /app/backups
USER newsroom
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "newsroom.wsgi"]
