"""The workbench as served: deployment-like settings, only the routes the course uses, damaged files."""
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from .conftest import MODULES, ROOT

pytestmark = pytest.mark.django_db


def test_debug_is_off_and_hosts_are_local():
    assert settings.DEBUG is False
    assert set(settings.ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]", "testserver"}


@pytest.mark.parametrize("url", ["/reset_state", "/userlist/", "/scenario/x/", "/view/x/", "/admin/",
                                 "/aside_handler/x/y", "/unauth_handler/x/y"])
def test_xblock_sdk_routes_the_course_does_not_use_are_not_mounted(client, url):
    for method in (client.get, client.post):
        assert method(url).status_code == 404


def course_unit_handler(client, handler, unit="pre-01-history"):
    html = client.get(f"/course/?student=learner1&unit={unit}").content.decode()
    assert "data-usage" in html
    usage = html.split("data-usage='")[1].split("'")[0] if "data-usage='" in html else \
        html.split('data-usage="')[1].split('"')[0]
    return f"/handler/{usage}/{handler}/?student=learner1"


def test_an_unknown_handler_is_a_404_in_the_users_language(client, settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    url = course_unit_handler(client, "no_such_handler")
    response = client.post(url, "{}", content_type="application/json")
    assert response.status_code == 404 and response.json() == {"error": "This page does not exist."}
    client.get("/course/?lang=fr")
    response = client.post(url, "{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["error"] == "Cette page n'existe pas."


def test_a_server_error_shows_a_short_page_without_a_trace(monkeypatch):
    from blma_xblocks.workbench import views
    monkeypatch.setattr(views, "units", lambda: 1 / 0)
    response = Client(raise_request_exception=False).get("/course/?lang=fr")
    body = response.content.decode()
    assert response.status_code == 500 and "Une erreur s&#x27;est produite" in body
    assert "Traceback" not in body and "ZeroDivisionError" not in body and "views.py" not in body


@pytest.fixture
def damaged_course(tmp_path):
    course = tmp_path / "modules"
    shutil.copytree(MODULES, course)
    path = course / "pre_course" / "pre-02-types.xml"
    lines = path.read_text(encoding="utf-8").splitlines(True)
    lines[5] = lines[5].replace("<", "<<", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return course


def test_a_damaged_file_stops_the_workbench_before_it_serves_with_file_and_line(damaged_course, tmp_path):
    env = dict(os.environ, BLMA_COURSE_DIR=str(damaged_course), BLMA_VAR_DIR=str(tmp_path / "var"),
               DJANGO_SETTINGS_MODULE="blma_xblocks.workbench.settings")
    result = subprocess.run([sys.executable, "-m", "django", "check"], env=env, cwd=str(ROOT),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "pre_course/pre-02-types.xml:6:" in result.stderr and "blma.E001" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_damaged_while_serving_gives_a_page_naming_it(client, damaged_course, monkeypatch):
    from blma_xblocks import course
    from blma_xblocks.workbench import views
    monkeypatch.setattr(views, "units", lambda: course.units(damaged_course))
    response = client.get("/course/")
    assert response.status_code == 503 and "pre-02-types.xml:6:" in response.content.decode()
