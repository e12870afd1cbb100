"""One input rule for authored text: valid Unicode, no control characters but newline and tab."""
import json

import pytest
from webob import Request

from .conftest import MODULES, render
from .test_fuzz import COURSE_FILES, snapshot

pytestmark = pytest.mark.django_db


def text_fields(block):
    """Every field the Studio form edits as text, with the shape the form sends."""
    rows = block.studio_rows()
    return [(row["name"], row["kind"]) for row in rows if row["kind"] in ("text", "pair", "pair-html", "pair-lines",
                                                                          "lines", "date")]


def post(block, data):
    request = Request.blank("/", method="POST")
    request.body = json.dumps(data).encode("utf-8")
    request.content_type = "application/json"
    response = block.runtime.handle(block, "studio_submit", request)
    return response.status_code, json.loads(response.body)


@pytest.mark.parametrize("bad,fault", [("\ud800", "lone surrogate"), ("x\udfffy", "lone surrogate"),
                                       ("a\x00b", "control character"), ("a\x1bb", "control character"),
                                       ("\x85", "control character")])
@pytest.mark.parametrize("block_type", sorted(COURSE_FILES))
def test_bad_text_in_any_field_is_refused_naming_the_field_and_nothing_is_saved(load, as_user, settings,
                                                                                block_type, bad, fault):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"
    xml = (MODULES / COURSE_FILES[block_type]).read_text(encoding="utf-8").split("?>", 1)[1]
    tutor = as_user(load(xml), "tutor")
    fields = text_fields(tutor)
    assert len(fields) >= 3
    for name, kind in fields:
        value = {"en": bad, "fr": "ok"} if kind.startswith("pair") else bad
        before = snapshot(tutor)
        status, body = post(tutor, {name: value})
        assert status == 400 and fault in body["error"], (name, body)
        label = tutor.field_name_for_user(name)
        assert body["error"].startswith(label + ":"), (name, body)
        assert snapshot(tutor) == before
    assert "\ud800" not in render(tutor, "studio_view")  # the editor still opens


def test_line_breaks_and_tabs_are_text(load, as_user, module_xml):
    tutor = as_user(load(module_xml), "tutor")
    form = {row["name"]: row["value"] for row in tutor.studio_rows()}
    form.update(title={"en": "Line\tone", "fr": "Ligne\tun"}, objectives={"en": "a\nb", "fr": "a\nb"})
    status, body = post(tutor, form)
    assert status == 200 and tutor.title["en"] == "Line\tone", body
    assert [o["en"] for o in tutor.objectives] == ["a", "b"]


def test_french_names_the_field_in_french(load, as_user, module_xml):
    from django.utils import translation
    tutor = as_user(load(module_xml), "tutor")
    with translation.override("fr"):
        status, body = post(tutor, {"title": {"en": "\ud800", "fr": ""}})
    assert status == 400 and body["error"].startswith("Titre :") and "Unicode" in body["error"], body
