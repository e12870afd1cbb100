"""The phase and module blocks through the real workbench runtime, as learner and as tutor."""
import re

import pytest
from django.utils import translation
from lxml import etree
from xblock.fields import Scope

from blma_xblocks.models import ModuleCompletion
from blma_xblocks.olx import OlxError

from .conftest import call, render

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_course(settings):
    settings.BLMA_NOW = "2026-04-20T09:00:00+02:00"  # week 2 of the pre-course phase


def module(load, module_id="m1", fr_title="Module un", body_fr="<p>Corps</p>"):
    return load(f"""
<blma_module module_id="{module_id}" estimated_minutes="90">
  <title><en>Module one</en><fr>{fr_title}</fr></title>
  <objectives><objective><en>Explain</en><fr>Expliquer</fr></objective></objectives>
  <body><en><![CDATA[<p>Body <script>alert(1)</script><a href="javascript:alert(2)" onclick="x">l</a></p>]]></en>
        <fr><![CDATA[{body_fr}]]></fr></body>
  <resources><resource url="https://www.ilo.org/"><en>ILO</en><fr>OIT</fr></resource></resources>
</blma_module>""")


def phase(load, modules=("m1", "m2"), student="learner1"):
    refs = "".join(f'<module ref="{m}"/>' for m in modules)
    return load(f"""
<blma_phase kind="pre_course" start_date="2026-04-13" end_date="2026-05-01" mode="online" weekly_hours="5-10">
  <title><en>Pre-course</en><fr>Préalable</fr></title>
  <venue><en>eCampus</en><fr>eCampus</fr></venue>
  <description><en><![CDATA[<p>Welcome</p>]]></en><fr></fr></description>
  <modules>{refs}</modules>
</blma_phase>""", student)


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_module_renders_in_english_and_french_sanitized(load):
    block = module(load)
    en = render(block, lang="en")
    fr = render(block, lang="fr")
    assert "Module one" in en and "Learning objectives" in en and "Mark as done" in en
    assert "Module un" in fr
    assert "Objectifs d&#x27;apprentissage" in fr or "Objectifs d'apprentissage" in fr
    assert "Marquer comme terminé" in fr and "Mark as done" not in fr
    assert "alert(" not in en and "javascript:" not in en and "onclick" not in en
    assert "environ 1 h 30 min" in fr and "about 1 h 30 min" in en


def test_missing_french_shows_english_with_a_note(load):
    block = module(load, fr_title="", body_fr="")
    fr = render(block, lang="fr")
    assert "Module one" in fr
    assert "ne sont pas encore disponibles dans votre langue" in fr
    assert 'lang="en"' in fr
    assert "ne sont pas encore disponibles" not in render(module(load, "m9"), lang="fr")


def test_mark_done_is_idempotent_and_updates_phase_progress(load, as_user):
    block = module(load)
    the_phase = phase(load)
    assert "0 of 2 modules done" in render(the_phase)
    status, body = call(block, "mark_done")
    assert status == 200 and body["created"] is True and body["done"] is True
    status, again = call(block, "mark_done")
    assert status == 200 and again["created"] is False and again["completed_at"] == body["completed_at"]
    assert ModuleCompletion.objects.count() == 1
    assert "1 of 2 modules done" in render(the_phase)
    assert 'aria-valuenow="1"' in render(the_phase)
    status, progress = call(the_phase, "progress")
    assert progress == {"done": 1, "total": 2, "percent": 50, "text": "1 of 2 modules done"}
    # another learner's progress is their own
    assert "0 of 2 modules done" in render(as_user(the_phase, "learner2"))
    assert 'aria-pressed="true"' in render(block) and 'aria-pressed="false"' in render(as_user(block, "learner2"))


def test_mark_done_answers_in_french(load):
    with translation.override("fr"):
        status, body = call(module(load), "mark_done")
    assert status == 200 and body["message"] == "Module marqué comme terminé."


def test_mark_done_rejects_get_and_a_module_without_id(load):
    block = module(load)
    status, _ = call(block, "mark_done", method="GET")
    assert status == 405
    status, body = call(module(load, module_id=""), "mark_done")
    assert status == 409 and "no id" in body["error"]


def test_bad_json_is_a_400_not_a_500(load):
    status, _ = call(module(load), "mark_done", raw=b"{not json")
    assert status == 400


def test_phase_view_shows_timeline_status_and_dates(load):
    the_phase = phase(load)
    html = render(the_phase)
    assert 'aria-current="step"' in html
    assert "Open" in html and "13 April 2026" in html and "1 May 2026" in html
    fr = render(the_phase, lang="fr")
    assert "En cours" in fr and "13 avril 2026" in fr and "Calendrier du cours" in fr
    assert "Ce texte n&#x27;est pas encore disponible" in fr or "Ce texte n'est pas encore disponible" in fr


def test_timeline_lists_every_phase_of_the_course(load):
    phase(load)
    residential = load("""<blma_phase kind="residential" start_date="2026-05-04" end_date="2026-05-08"
             mode="residential" weekly_hours="30-40">
             <title><en>Turin week</en><fr>Semaine de Turin</fr></title></blma_phase>""")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        render(residential)
    assert not [q for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]  # a view never writes
    steps = re.findall(r'class="blma-step-title">([^<]+)<', render(phase(load)))
    assert steps == ["Pre-course"]  # the course's schedule does not know the residential phase yet
    from blma_xblocks import storage
    storage.store_phase(residential.course_run, residential.info())  # what a publish or a Studio save does
    html = render(phase(load))
    steps = re.findall(r'class="blma-step-title">([^<]+)<', html)
    assert steps == ["Pre-course", "Turin week"]
    assert "Upcoming" in html


@pytest.mark.parametrize("now,status", [("2026-04-12T21:00:00+00:00", "Upcoming"),
                                        ("2026-04-12T22:30:00+00:00", "Open"),  # already 13 April in Turin
                                        ("2026-05-02T00:00:00+02:00", "Closed")])
def test_status_is_computed_on_the_server_in_the_course_time_zone(load, settings, now, status):
    settings.BLMA_NOW = now
    assert f"<strong>{status}</strong>" in render(phase(load))


def test_phase_view_query_count_does_not_grow_with_modules(load, django_assert_max_num_queries):
    small, large = phase(load, ["a"]), phase(load, [f"m{i}" for i in range(40)])
    render(small), render(large)  # schedules stored
    with django_assert_max_num_queries(6) as small_ctx:
        render(small)
    with django_assert_max_num_queries(6) as large_ctx:
        render(large)
    assert len(small_ctx.captured_queries) == len(large_ctx.captured_queries)


def test_studio_submit_is_refused_to_learners(load):
    block = module(load)
    status, body = call(block, "studio_submit", {"title": {"en": "Hacked", "fr": "x"}})
    assert status == 403 and "authors" in body["error"]
    assert block.title["en"] == "Module one"


def test_tutor_edits_a_module_in_both_languages(load, as_user):
    tutor_block = as_user(module(load), "tutor")
    data = {"module_id": "m1", "estimated_minutes": "45", "title": {"en": "New", "fr": "Nouveau"},
            "body": {"en": "<p>B<script>x</script></p>", "fr": "<p>C</p>"},
            "objectives": {"en": "One\nTwo", "fr": "Un\nDeux"},
            "resources": {"en": "https://www.ilo.org/ | ILO", "fr": "https://www.ilo.org/ | OIT"}}
    status, body = call(tutor_block, "studio_submit", data)
    assert status == 200, body
    assert tutor_block.title == {"en": "New", "fr": "Nouveau"}
    assert tutor_block.body["en"] == "<p>B</p>"
    assert tutor_block.objectives == [{"en": "One", "fr": "Un"}, {"en": "Two", "fr": "Deux"}]
    assert tutor_block.resources == [{"url": "https://www.ilo.org/", "title": {"en": "ILO", "fr": "OIT"}}]
    assert tutor_block.estimated_minutes == 45


@pytest.mark.parametrize("data,fragment", [
    ({"estimated_minutes": "-3"}, "Estimated minutes"),
    ({"title": {"en": "", "fr": "x"}}, "English text is missing"),
    ({"resources": {"en": "javascript:alert(1) | x", "fr": ""}}, "Resource 1"),
    ({"module_id": ["x"]}, "not valid"),
])
def test_bad_studio_input_is_a_400_and_keeps_what_was_saved(load, as_user, data, fragment):
    tutor_block = as_user(module(load), "tutor")
    full = {"module_id": "m1", "title": {"en": "T", "fr": "T"}, "body": {"en": "b", "fr": "b"}}
    status, body = call(tutor_block, "studio_submit", dict(full, **data))
    assert status == 400 and fragment in body["error"], body
    assert tutor_block.title["en"] == "Module one"


def test_studio_views_edit_every_field_side_by_side(load, as_user):
    html = render(as_user(phase(load), "tutor"), "studio_view", "fr")
    for field in ("kind", "title", "start_date", "end_date", "timezone", "mode", "venue", "weekly_hours", "description",
                  "modules"):
        assert f'data-field="{field}"' in html
    assert "Anglais" in html and "Français" in html and "Enregistrer" in html
    html = render(as_user(module(load), "tutor"), "studio_view")
    for field in ("module_id", "title", "estimated_minutes", "objectives", "body", "resources"):
        assert f'data-field="{field}"' in html


def test_tutor_edits_a_phase_and_bad_dates_are_refused(load, as_user):
    tutor_phase = as_user(phase(load), "tutor")
    good = {"kind": "pre_course", "start_date": "2026-04-06", "end_date": "2026-05-01", "mode": "online",
            "timezone": "Europe/Rome", "weekly_hours": "5-10", "title": {"en": "P", "fr": "P"},
            "venue": {"en": "", "fr": ""}, "description": {"en": "<p>x</p>", "fr": ""}, "modules": "a\nb"}
    status, body = call(tutor_phase, "studio_submit", good)
    assert status == 200 and tutor_phase.modules == ["a", "b"] and tutor_phase.start_date == "2026-04-06"
    assert any("French" in w for w in body["warnings"])
    status, body = call(tutor_phase, "studio_submit", dict(good, end_date="2026-03-01"))
    assert status == 400 and "before it starts" in body["error"]
    assert tutor_phase.end_date == "2026-05-01"


def test_validate_warns_of_missing_french(load):
    messages = [m.text for m in phase(load).validate().messages]
    assert any("Description (HTML): the French text is missing" in m for m in messages)
    assert module(load).validate().empty


@pytest.mark.parametrize("fixture", ["phase_xml", "module_xml"])
def test_olx_round_trip(load, request, fixture):
    block = load(request.getfixturevalue(fixture))
    node = etree.Element("root")
    block.add_xml_to_node(node)
    again = load(etree.tostring(node, encoding="unicode"))
    names = [n for n, f in block.fields.items() if f.scope in (Scope.content, Scope.settings) and n != "parent"]
    assert {n: getattr(again, n) for n in names} == {n: getattr(block, n) for n in names}
    assert block.title["fr"]


@pytest.mark.parametrize("xml,message,line", [
    ('<blma_module module_id="a" colour="red"/>', 'Unknown attribute "colour"', 1),
    ('<blma_module module_id="a">\n<title><en>x</en><de>y</de></title></blma_module>', "not <de>", 2),
    ('<blma_module module_id="a">\n\n<summary/></blma_module>', "Unknown element <summary>", 3),
    ('<blma_module module_id="a" estimated_minutes="lots"/>', "must be a whole number", 1),
    ('<blma_phase kind="pre_course">\n<modules><mod ref="x"/></modules></blma_phase>',
     "Expected <module> here, not <mod>", 2),
    ('<blma_phase kind="pre_course">\n<modules><module id="x"/></modules></blma_phase>', "<module ref=", 2),
])
def test_bad_olx_names_the_line(load, xml, message, line):
    with pytest.raises(OlxError) as caught:
        load(xml)
    assert message in str(caught.value) and caught.value.line == line


def test_a_resource_link_that_is_not_web_or_mail_is_never_rendered(load):
    """validate() flags it for the author, but a course import or Studio's field API does not run it."""
    block = module(load)
    block.resources = block.resources + [{"url": "javascript:alert(3)", "title": {"en": "Trap", "fr": "Piège"}},
                                         {"url": "mailto:tutor@example.org", "title": {"en": "Mail", "fr": "Mail"}}]
    html = render(block)
    assert "Trap" not in html and "javascript:" not in html
    assert 'href="https://www.ilo.org/"' in html and 'href="mailto:tutor@example.org"' in html
    assert not block.validate().empty  # and the author is told


def test_author_html_set_without_the_save_path_is_cleaned_on_the_page(load, phase_xml):
    """Studio's field API or a course import can set a field without the handlers that clean it."""
    from blma_xblocks.sanitize import page_html
    block = module(load)
    block.body = {"en": '<p>Text<script>alert(1)</script><img src=x onerror="alert(2)"></p>', "fr": ""}
    html = render(block)
    assert "<p>Text" in html and "alert" not in html and "onerror" not in html
    phase_block = load(phase_xml)
    phase_block.description = {"en": '<p onclick="x()">Week<iframe src="//e"></iframe></p>', "fr": ""}
    html = render(phase_block)
    assert "Week" in html and "onclick" not in html and "<iframe" not in html
    assert page_html("<p>same</p>") is page_html("<p>same</p>")  # cached: a page pays a lookup
