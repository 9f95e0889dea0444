# The commands people type. `make run` serves the demo site; `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install browser fault-tools nginx run prod-local test lint stop-db

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The fault tests (tests/test_faults.py) start a redis-server of their own, Debian's.
fault-tools:
	@command -v redis-server >/dev/null 2>&1 || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server; }

# The production front (deploy/nginx/newsroom.conf) runs on Debian's nginx, for `make prod-local`
# and the front tests; only the binary is used, never the system's nginx service.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx; }

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@# The worker that makes photo renditions runs beside the web server and stops with it.
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:8000

# The production settings behind nginx and gunicorn (deploy/), against DATABASE_URL and CACHE_URL
# (without DATABASE_URL, `make run`'s database); prints the address, Ctrl+C stops everything.
prod-local: install nginx
	$(BIN)/python -m deploy.prod_local

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=newsroom.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint browser fault-tools nginx
	$(BIN)/pytest --create-db

stop-db:
	$(BIN)/python -c "from newsroom.devdb import stop_embedded_database; stop_embedded_database()"
