# The newcomer's two commands are `make run` and `make test` (see README.md).
# uv is used from PATH, or installed once into .tools/ from PyPI.

UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
MANAGE := $(UV) run --frozen python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test sync setup worker beat check prod-smoke bench clean

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools
	$(CURDIR)/.tools/bin/pip install --quiet --disable-pip-version-check uv

sync: $(UV)
	$(UV) sync --frozen

## Migrate, load the demo organisation (reused when present) and generate this week's briefing.
setup: sync
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) generate_briefing

## Run the app on http://$(HOST):$(PORT) with the demo organisation.
run: setup
	$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

## Run the whole test suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise).
test: sync
	$(UV) run --frozen pytest

## With REDIS_URL set: a Celery worker and the beat scheduler (one each), as deploy/run starts them.
worker: sync
	$(UV) run --frozen deploy/run worker
beat: sync
	$(UV) run --frozen deploy/run beat

## Django's deployment checks with production-like settings.
check: sync
	DEBUG=false SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef ALLOWED_HOSTS=cto.example.com $(MANAGE) check --deploy --fail-level WARNING

## The production topology for real on this machine (PostgreSQL and Redis must run): gunicorn,
## a Celery worker and beat (deploy/run, as docker-compose.yml), an SMTP sink; PASS/FAIL per check.
## SMOKE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cto_office_smoke, recreated)
## and SMOKE_REDIS_URL (default redis://127.0.0.1:6379/8, emptied) choose where it runs.
prod-smoke: sync
	$(UV) run --frozen python -m deploy.smoke

## DESIGN.md §5's bars on the large organisation (README "Benchmarks"); about 5-10 minutes.
## Its own database: BENCH_DATABASE_URL, or DATABASE_URL renamed cto_office_bench (created, seeded once).
bench: sync
	$(UV) run --frozen python -m bench

clean:
	rm -rf .tools .venv var db.sqlite3 .pytest_cache
