# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Settings that pass `check --deploy`: production mode with throwaway secrets.
PROD_ENV = FRONTLINE_ENV=production DJANGO_ALLOWED_HOSTS=frontline.example.org \
	DJANGO_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	FRONTLINE_FIELD_KEY=$$($(PY) -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())') \
	FRONTLINE_HASH_KEY=$$($(PY) -c 'import base64,os; print(base64.b64encode(os.urandom(32)).decode())')

.PHONY: run test lint test-postgres test-browser bench clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(VENV)/.bench: $(VENV)/.dev requirements-bench.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo
	@echo "战疫一线已启动：http://$(HOST):$(PORT)  （Ctrl+C 停止）"
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--access-logfile - --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

test: lint
	$(VENV)/bin/pytest -n auto -q

test-postgres: $(VENV)/.dev
	$(VENV)/bin/pytest -n auto -q -m "not browser"

test-browser: $(VENV)/.dev
	$(VENV)/bin/pytest -q -m browser

# Ratios against baselines measured in the same run; figures in bench/README.md. BENCH_ARGS,
# e.g. --database-url postgres://postgres@127.0.0.1:5432/postgres, goes to the loopback ones.
bench: $(VENV)/.bench
	$(PY) -m bench.roster_run
	$(PY) bench/run.py $(BENCH_ARGS)
	$(PY) bench/readings.py $(BENCH_ARGS)
	$(PY) bench/supplies_run.py $(BENCH_ARGS)
	$(PY) bench/gates.py $(BENCH_ARGS)
	$(PY) bench/volunteer_hours.py $(BENCH_ARGS)
	$(PY) bench/rounds_scale.py $(BENCH_ARGS) $(if $(BIG),--big $(BIG),)
	$(PY) bench/rankings_scale.py $(BENCH_ARGS)
	$(PY) bench/enterprises_scale.py $(BENCH_ARGS)
	$(PY) bench/command_scale.py $(BENCH_ARGS) $(if $(BIG),--big $(BIG),)

clean:
	rm -rf $(VENV) staticfiles
