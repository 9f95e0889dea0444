"""Deployment: the nginx front, gunicorn's settings and `make prod-local` (docs/production.md)."""
