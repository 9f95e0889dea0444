FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=newsroom.settings.production
WORKDIR /app
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
RUN pip install --no-cache-dir .
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
