# The two commands that matter: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

# The demo runs without a .env: demo mode allows the built-in secret key and prints the logins.
RUN_ENV := DEMO_MODE=$${DEMO_MODE:-1}
# Seconds before gunicorn gives up on a stuck worker: above the database timeouts (settings.py),
# below the 30 s after which browsers and proxies typically give up (docs/operations.md).
REQUEST_TIMEOUT ?= 25
DIGEST_EVERY ?= 600

.PHONY: run test install install-dev assets static migrate demo lint typecheck migrations-check pytest pytest-postgres chromium clean messages bench

## make run: install, prepare the database, load the demo if empty, and serve on http://127.0.0.1:8000
# gunicorn's control socket lives in the checkout's var/, not in the shared ~/.gunicorn/, so two
# checkouts served on one machine do not take over each other's socket.
run: install assets static migrate demo
	@echo ""
	@echo "Forankring kører på http://$(HOST):$(PORT)  (stop med Ctrl+C)"
	@echo "Demo-logins, adgangskode 'demo': direktion, centerchef, teamleder, medarbejder, fyrtaarn, it, med, facilitator, admin"
	@echo "Anden kommune (isolation): udefra / demo"
	@echo ""
	@mkdir -p var
	@# Beside the web server, every DIGEST_EVERY seconds: the reminders that have come due (training,
	@# rollouts, pilots past their end date, the monthly experience nudge), then the notification digests. Each reminder goes out
	@# once and `--due` sends each digest once per day/week, however often they run (docs/operations.md).
	( while sleep $(DIGEST_EVERY); do \
		$(RUN_ENV) $(BIN)/python manage.py send_competence_reminders || true; \
		$(RUN_ENV) $(BIN)/python manage.py remind_rollouts || true; \
		$(RUN_ENV) $(BIN)/python manage.py evaluate_ended_pilots || true; \
		$(RUN_ENV) $(BIN)/python manage.py remind_experiences || true; \
		$(RUN_ENV) $(BIN)/python manage.py send_digests --due || true; \
	done ) & loop=$$!; \
	trap 'kill $$loop 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/gunicorn forankring.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --timeout $(REQUEST_TIMEOUT) --access-logfile - \
		--control-socket var/gunicorn.ctl

## make test: every check and every test; exits non-zero on the first failure
test: install-dev assets chromium lint typecheck migrations-check pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

static: install assets
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0

migrate: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput --verbosity 1
	$(RUN_ENV) $(BIN)/python manage.py createcachetable

demo: migrate
	$(RUN_ENV) $(BIN)/python manage.py load_demo --if-empty

# Browser tests drive Debian's Chromium. As root we install it; otherwise we say how.
chromium:
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Browser tests need Chromium at $(CHROMIUM). Install it with: sudo apt-get install chromium"; exit 1; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	DEMO_MODE=1 $(BIN)/mypy forankring tests benchmarks

migrations-check: install-dev
	DEMO_MODE=1 $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install-dev assets chromium
	$(BIN)/pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL (what CI runs after `make test`).
PG_URL ?= postgres://postgres@127.0.0.1:5432/forankring
pytest-postgres: install-dev assets chromium
	DATABASE_URL=$(PG_URL) $(BIN)/pytest --create-db $(PYTEST_ARGS)

# Every page on the demo and on a generated 45,000-person municipality, then mixed load against
# gunicorn (docs/performance.md). Not part of `make test`: it takes minutes and wants a quiet
# machine. The first run builds var/bench-pages.sqlite3 (or the DATABASE_URL database).
bench: install-dev assets
	$(RUN_ENV) $(BIN)/python benchmarks/pages.py
	$(RUN_ENV) $(BIN)/python benchmarks/load.py

# New or changed interface strings into the catalogues (translations kept), then compiled. Needs
# GNU gettext; the .mo files are committed, so running the site and the tests does not.
messages: install
	$(RUN_ENV) $(BIN)/python manage.py makemessages -l da -l en --no-location \
		--ignore=node_modules --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=benchmarks \
		--ignore=test-artifacts --ignore=var
	$(RUN_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules staticfiles var .mypy_cache .ruff_cache .pytest_cache
