# Two commands for a fresh clone:  `make run`  and  `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
GOVUK_FRONTEND_VERSION := 5.14.0
STATIC := charter/static/govuk

.PHONY: help run test setup assets db demo lint format clean ocds-profile scheduler mail-worker serve start requirements check-install bench-load bench bench-reviews bench-reviews-twice bench-charters bench-open-data cluster cluster-serve cluster-scale cluster-test

help: ## list the commands (this list)
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | awk -F'\t' '{printf "  make %-15s %s\n", $$1, $$2}'

run: setup db demo ## set everything up, load demo data and serve on http://127.0.0.1:5000
	SHOW_OUTBOX=1 $(FLASK) run --host 127.0.0.1 --port 5000

test: setup ## the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/pytest

setup: $(BIN)/.installed assets

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

assets: $(STATIC)/app.css

$(STATIC)/app.css: package.json charter/static/scss/app.scss
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p $(STATIC)
	cp -r node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/
	npx sass --quiet --quiet-deps --no-source-map --style=compressed --load-path=node_modules charter/static/scss/app.scss $@

# Every charter's scheme file, Shropshire's first: the first charter created is the default.
SCHEME_FILES := schemes/supporting-the-local-economy.toml schemes/worcestershire.toml schemes/cheshire-west-and-chester.toml schemes/warwickshire.toml

db: setup
	$(FLASK) db upgrade
	for file in $(SCHEME_FILES); do $(FLASK) charter load-scheme $$file || exit 1; done

demo: db
	$(FLASK) charter demo-data

scheduler: setup ## the daily scheduled reviews; run exactly ONE of these, not one per web worker
	$(FLASK) charter scheduler

mail-worker: setup ## deliver queued emails until stopped (several may run on PostgreSQL; one on SQLite)
	$(FLASK) charter mail-worker

serve: setup ## gunicorn in production mode (set SECRET_KEY, SERVICE_URL, DATABASE_URL... first)
	CHARTER_ENV=production $(FLASK) charter check-config
	CHARTER_ENV=production $(BIN)/gunicorn --config gunicorn.conf.py wsgi:app

start: setup ## web, scheduler and mail worker from the Procfile, as a host would run them
	CHARTER_ENV=production $(BIN)/honcho start

requirements: ## re-pin requirements*.txt from pyproject.toml after changing a dependency
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file=requirements.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra=dev --constraint=requirements.txt --output-file=requirements-dev.txt pyproject.toml

ocds-profile: setup ## rebuild the OCDS profile releases are checked against (uk_profile/) from the shipped standard and extensions
	$(BIN)/python tools/build_uk_profile.py

check-install: ## `pip install .` into a fresh venv, then migrate and serve /healthz with it
	.ci/check-install

BENCH_DURATION ?= 60
bench-load: setup ## 60s of mixed traffic at gunicorn (DATABASE_URL: a scratch PostgreSQL database)
	$(BIN)/python bench/load.py --duration $(BENCH_DURATION)

bench: setup ## the register at 500, 50,000 and 100,000 organisations, then /impact; DROPS the tables of DATABASE_URL and of <its name>_baseline
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1)
	@command -v wrk >/dev/null || echo "wrk not found (apt-get install wrk): in-process figures only"
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-charters: setup ## 4 charters, 100,000 organisations, 160,000 signings against one charter of the same size, then the reviews over all; DROPS the tables of DATABASE_URL and of <its name>_baseline
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1)
	@command -v wrk >/dev/null || echo "wrk not found (apt-get install wrk): in-process figures only"
	$(BIN)/python bench/charters_bench.py $(BENCH_ARGS)

bench-open-data: setup ## a 1 MB/s client beside two full-speed ones on register.json at 100,000 organisations; DROPS DATABASE_URL's tables
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1)
	$(BIN)/python bench/open_data_download.py $(BENCH_ARGS)

bench-reviews: setup ## the eleven scheduled reviews at 10,000 and 100,000 organisations; DROPS DATABASE_URL's tables
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1)
	$(BIN)/python bench/reviews_scaling.py $(BENCH_ARGS)

bench-reviews-twice: setup ## the scheduled reviews run twice on one day at 10,000 organisations: the second must change nothing; DROPS DATABASE_URL's tables
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL to a scratch PostgreSQL database"; exit 1)
	$(BIN)/python bench/reviews_fixed_point.py $(BENCH_ARGS)

CLUSTER_FAULTS ?= all
cluster: setup ## the reference deployment on this machine (HAProxy, 2 hosts, primary+replica...), its fault runs, then tear-down
	$(BIN)/python bench/cluster.py --faults $(CLUSTER_FAULTS) --duration $(BENCH_DURATION)

cluster-serve: setup ## the reference deployment on http://127.0.0.1:5720 until Ctrl+C
	$(BIN)/python bench/cluster.py --serve

cluster-scale: setup ## two app hosts against one at 4 charters and 100,000 organisations, through HAProxy (about 12 minutes)
	$(BIN)/python bench/cluster_scale.py

cluster-test: setup ## the replica and failover tests on a real primary and streaming replica (initdb, pg_basebackup)
	$(BIN)/pytest -q tests/operations/test_replica_reads.py tests/operations/test_failover.py

lint: setup ## ruff: the checks and the formatting, as CI runs them
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: setup ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

clean: ## remove the virtualenv, node_modules, built assets and the instance folder
	rm -rf $(VENV) node_modules $(STATIC) instance
