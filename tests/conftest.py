"""Shared fixtures: blocks in the real workbench runtime, handler calls, the course files."""
import json
import os
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation
from webob import Request

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "modules"


@pytest.fixture
def runtime_for(db):  # pylint: disable=unused-argument
    """A workbench runtime for a username (the ?student= of the workbench)."""
    from workbench.runtime import WorkbenchRuntime

    def make(student="learner1"):
        return WorkbenchRuntime(student)
    return make


@pytest.fixture
def load(runtime_for):
    """Parse OLX in the workbench runtime; returns a loader (xml, student) -> block."""
    def parse(xml, student="learner1"):
        runtime = runtime_for(student)
        usage_id = runtime.parse_xml_string(xml)
        return runtime.get_block(usage_id)
    return parse


@pytest.fixture
def as_user(runtime_for):
    """The same block seen by another user (fields of other scopes as that user)."""
    def view(block, student):
        return runtime_for(student).get_block(block.scope_ids.usage_id)
    return view


def call(block, handler, data=None, method="POST", raw=None):
    """Call a handler through the runtime; returns (status, parsed JSON or text)."""
    request = Request.blank("/", method=method)
    request.body = raw if raw is not None else json.dumps(data if data is not None else {}).encode("utf-8")
    request.content_type = "application/json"
    response = block.runtime.handle(block, handler, request)
    try:
        body = json.loads(response.body.decode("utf-8"))
    except ValueError:
        body = response.body.decode("utf-8")
    return response.status_code, body


def render(block, view="student_view", lang="en"):
    with translation.override(lang):
        return block.render(view, {}).body_html()


@pytest.fixture
def phase_xml():
    return (MODULES / "pre_course" / "phase.xml").read_text(encoding="utf-8").split("?>", 1)[1]


@pytest.fixture
def module_xml():
    return (MODULES / "pre_course" / "pre-01-history.xml").read_text(encoding="utf-8").split("?>", 1)[1]


# -- the database: SQLite by default; BLMA_TEST_DB=mariadb runs on MariaDB/MySQL (README) ----------
@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):  # pylint: disable=unused-argument
    """Before the test database is created: start the throw-away MariaDB when the settings ask for one."""
    from django.conf import settings

    from . import mariadb_server
    if mariadb_server.configure(settings.DATABASES["default"]):
        mariadb_server.skip_broken_submissions_migration()  # an upstream bug on a fresh MariaDB
    yield
    mariadb_server.stop()  # after pytest-django has dropped the test database


def pytest_report_header(config):  # pylint: disable=unused-argument
    from django.conf import settings
    database = settings.DATABASES["default"]
    where = database.get("HOST") or ("a throw-away server" if "mysql" in database["ENGINE"] else database["NAME"])
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({where})"


def pytest_sessionfinish(session, exitstatus):
    """The MariaDB run selects tests by marker: selecting none is a failure, not a quiet exit 5."""
    if os.environ.get("BLMA_TEST_DB") == "mariadb" and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        session.config.get_terminal_writer().line("BLMA_TEST_DB=mariadb: no test was selected", red=True)


@pytest.fixture
def parallel(runtime_for):
    """parallel(block, [(student, act), ...]) -> what each act(its block) returned, or its exception.

    Each thread gets the block in its own runtime first, then all wait on a barrier and act at once;
    each closes its own database connection at the end (the race tests, db_race)."""
    def run(block, requests):
        barrier = threading.Barrier(len(requests))
        results = [None] * len(requests)

        def one(index, student, act):
            try:
                mine = runtime_for(student).get_block(block.scope_ids.usage_id)
                barrier.wait(timeout=60)
                results[index] = act(mine)
            except BaseException as error:  # pylint: disable=broad-exception-caught
                barrier.abort()
                results[index] = error
            finally:
                connection.close()

        threads = [threading.Thread(target=one, args=(i, *request)) for i, request in enumerate(requests)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert not any(thread.is_alive() for thread in threads), "a request never returned"
        return results
    return run
