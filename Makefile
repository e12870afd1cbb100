# Two commands do all the set-up: `make run` (the workbench with the course) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MYSQL_STAMP := $(VENV)/.mysql-installed
export DJANGO_SETTINGS_MODULE := blma_xblocks.workbench.settings
# The demo pins the course clock inside the pre-course phase so the course is "open";
# `make run BLMA_NOW=` uses the real date.
BLMA_NOW ?= 2026-04-20T09:00:00+02:00
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test quality screenshots install browser mariadb db translations validate course clean bench

# registry.py: setup.py reads the entry points from it, so a new block reinstalls the package
$(STAMP): setup.py blma_xblocks/registry.py requirements/dev.in requirements/constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=23"
	$(BIN)/pip install --quiet -c requirements/constraints.txt -r requirements/dev.in
	touch $(STAMP)

install: $(STAMP)

browser:
	bash scripts/install-browser.sh

# Debian's MariaDB and the mysqlclient driver (built against its headers), for the tests only.
$(MYSQL_STAMP): $(STAMP) requirements/mysql.in requirements/constraints.txt
	PYTHON=$(BIN)/python bash scripts/install-mariadb.sh
	$(BIN)/pip install --quiet -c requirements/constraints.txt -r requirements/mysql.in
	touch $(MYSQL_STAMP)

mariadb: $(MYSQL_STAMP)
	bash scripts/install-mariadb.sh

# The benchmarks' peer XBlocks (requirements/bench.in), installed into .venv by `make bench` only:
# `make test` never needs them.
BENCH_STAMP := $(VENV)/.bench-installed
BENCH_SCRIPTS := learner_pages quiz_submit tutor_view item_analysis assignment

$(BENCH_STAMP): $(STAMP) requirements/bench.in requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt -r requirements/bench.in
	touch $(BENCH_STAMP)

# Every benchmark script, each on its own throw-away SQLite database, DEBUG off (docs/benchmarks.md).
bench: $(BENCH_STAMP)
	cd bench && for script in $(BENCH_SCRIPTS); do \
		echo "== bench/$$script.py"; ../$(BIN)/python $$script.py || exit $$?; \
	done

db: $(STAMP)
	$(BIN)/django-admin migrate --run-syncdb --verbosity 0
	$(BIN)/django-admin blma_demo

run: db
	@echo ""
	@echo "The course is served at http://$(HOST):$(PORT)/ — open:"
	@echo "  learner1, English: http://$(HOST):$(PORT)/course/?student=learner1&lang=en"
	@echo "  learner1, French:  http://$(HOST):$(PORT)/course/?student=learner1&lang=fr"
	@echo "  tutor:             http://$(HOST):$(PORT)/course/?student=tutor&lang=en"
	@echo ""
	BLMA_NOW="$(BLMA_NOW)" $(BIN)/django-admin runserver $(HOST):$(PORT) --noreload

# Zero findings: pycodestyle (setup.cfg) on the code and the tests, pylint (.pylintrc) on the code.
quality: $(STAMP)
	status=0; \
	$(BIN)/pycodestyle blma_xblocks tests scripts bench setup.py || status=$$?; \
	$(BIN)/pylint blma_xblocks scripts bench setup.py || status=$$?; \
	exit $$status

# Lint first, then the whole suite on SQLite, then the race tests and the database-specific
# queries (markers db_race, mariadb) again on a
# throw-away MariaDB; every step runs even when an earlier one fails, and any failing fails `make test`.
test: $(STAMP) browser mariadb
	status=0; \
	$(MAKE) --no-print-directory quality || status=$$?; \
	$(BIN)/python -m pytest || status=$$?; \
	BLMA_TEST_DB=mariadb $(BIN)/python -m pytest -m "db_race or mariadb" || status=$$?; \
	exit $$status

# The browser tests save the README's screenshots under build/screenshots/ (git-ignored) on every
# run; this target runs them and copies the images into docs/, so they change only when asked.
screenshots: $(STAMP) browser
	rm -rf build/screenshots
	$(BIN)/python -m pytest -q -m browser tests/test_browser.py
	cp build/screenshots/*.png docs/

validate: $(STAMP)
	$(BIN)/blma validate modules

course: $(STAMP)
	$(BIN)/blma build-course --out dist/blma-course.tar.gz

translations: $(STAMP)
	$(BIN)/python scripts/i18n.py extract
	$(BIN)/python scripts/i18n.py compile

clean:
	rm -rf $(VENV) var build dist *.egg-info
