# wxops — two commands do all set-up:  make run  |  make test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/wxops

.PHONY: run test install lint test-sqlite test-postgres browser lock clean

# A line per phase, so the first run (about 200 migrations) never looks hung. No collectstatic:
# `wxops up` serves static files straight from the apps (WHITENOISE_USE_FINDERS), and copying them
# cost every run 35-40 s; deployments behind nginx still run `wxops collectstatic` (README).
run: $(STAMP)  ## install, migrate, load the demo account, start everything on SQLite with the simulator
	@echo "wxops 1/3: database 数据库 — applying migrations (the first run takes a minute or more)…"
	$(BIN)/wxops migrate --noinput
	@echo "wxops 2/3: demo account and one login per role 演示账号…"
	$(BIN)/wxops demo
	@echo "wxops 3/3: starting the web site, worker and WeChat simulator 启动…"
	$(BIN)/wxops up

test: $(STAMP) browser lint test-sqlite test-postgres  ## install and run every test, on SQLite and PostgreSQL

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[test]'
	@touch $@

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/lint-imports --no-cache

test-sqlite: $(STAMP)
	$(BIN)/pytest -n 2 -q

test-postgres: $(STAMP)
	@if $(BIN)/python -m wxops.site.dbprobe "$(POSTGRES_URL)"; then \
		DATABASE_URL="$(POSTGRES_URL)" $(BIN)/pytest -n 2 -q; \
	elif [ -n "$$WXOPS_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL at $(POSTGRES_URL) is required (WXOPS_REQUIRE_POSTGRES) but unreachable."; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL run: nothing answers at $(POSTGRES_URL) (set POSTGRES_URL=... to point elsewhere)."; \
	fi

browser:  ## Debian packages the tests use: Chromium (browser tests), CJK fonts (documents, posters, charts, OCR tests), libGL (OpenCV), Pango + HarfBuzz-subset (WeasyPrint PDFs; ~50x faster with it)
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	ldconfig -p 2>/dev/null | grep -q "libGL.so.1" || missing="$$missing libgl1"; \
	ldconfig -p 2>/dev/null | grep -q "libglib-2.0.so.0" || missing="$$missing libglib2.0-0"; \
	ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing="$$missing libpangoft2-1.0-0"; \
	ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0" || missing="$$missing libharfbuzz-subset0"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian packages for the tests:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "NOTE: missing Debian packages:$$missing — the tests that need them will be skipped."; \
		echo "      Install them with: sudo apt-get install$$missing"; \
	fi

lock:  ## refresh requirements.lock from the current virtualenv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^wxops' > requirements.lock

clean:
	rm -rf $(VENV) build src/*.egg-info
