"""The course page of the workbench: navigation by phase, one unit at a time, EN/FR switch."""
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.csrf import ensure_csrf_cookie
from workbench import views as sdk
from workbench.runtime import WorkbenchRuntime
from workbench.scenarios import add_xml_scenario, get_scenarios
from xblock.exceptions import NoSuchHandlerError

from .. import storage
from ..core.phases import PHASE_KIND_LABELS
from ..core.text import N_, pick
from ..course import CourseError, units, workbench_scenarios
from ..i18n import BlmaI18nService, current_language
from ..rendering import render
from .services import anonymous_id, staff_usernames


log = logging.getLogger(__name__)


def handler(request, usage_id, handler_slug, suffix=""):
    """xblock-sdk's handler view, with 404 (not 500) for a handler the block does not have."""
    register_course()  # after a restart, a handler call may come before any page
    try:
        return sdk.handler(request, usage_id, handler_slug, suffix)
    except NoSuchHandlerError:
        return JsonResponse({"error": BlmaI18nService().gettext("This page does not exist.")}, status=404)


def not_found(request, exception=None):
    return _error_page(404, N_("This page does not exist."))


def server_error(request):
    """DEBUG is off: the learner gets a short page in their language, the trace goes to the log."""
    return _error_page(500, N_("Something went wrong on our side. The error was logged; please try again later."))


def _error_page(status, message):
    i18n = BlmaI18nService()
    body = render("workbench/error.html", {"lang": current_language(), "message": i18n.gettext(message)}, i18n)
    return HttpResponse(body, status=status)


def _scenario_for(slug):
    """The workbench scenario of a unit; the course's scenarios are registered on first use."""
    scenarios = get_scenarios()
    if f"blma.{slug}" not in scenarios:
        register_course()
    if f"blma.{slug}" not in scenarios:
        raise Http404(slug)
    return scenarios[f"blma.{slug}"]


def register_course():
    """Every unit of the course as a workbench scenario (the blocks themselves declare none); once."""
    scenarios = get_scenarios()
    if any(name.startswith("blma.") for name in scenarios):
        return
    for description, xml in workbench_scenarios():
        name = "blma." + description.split(" ", 1)[1]
        if name not in scenarios:
            add_xml_scenario(name, description, xml)


def _outline(all_units, current, student, link, i18n):
    """The course outline: each phase with its modules and quiz, done marks for the learner."""
    lang = current_language()
    course_id = settings.BLMA_WORKBENCH_COURSE_ID
    done = storage.completed_modules(course_id, anonymous_id(student, course_id))
    nav = []
    for unit in all_units:
        if unit.kind == "phase":
            nav.append({"label": pick(unit.title, lang).text, "href": link(unit=unit.slug),
                        "phase": i18n.gettext(PHASE_KIND_LABELS[unit.phase_kind]),
                        "current": unit.slug == current.slug, "modules": []})
        else:
            nav[-1]["modules"].append({"label": pick(unit.title, lang).text, "href": link(unit=unit.slug),
                                       "done": unit.kind == "module" and unit.slug in done,
                                       "current": unit.slug == current.slug})
    return nav


def _people():
    return list(settings.BLMA_DEMO_LEARNERS) + sorted(staff_usernames())


@ensure_csrf_cookie
def course(request):
    student = request.GET.get("student") or "learner1"
    try:
        all_units = units()
    except CourseError as error:  # a course file was damaged while the workbench runs
        log.error("course files: %s", error)
        i18n = BlmaI18nService()
        message = i18n.gettext("A course file has a mistake: {error}").format(error=error)
        return HttpResponse(render("workbench/error.html", {"lang": current_language(), "message": message}, i18n),
                            status=503)
    if not all_units:
        raise Http404("no course")
    slug = request.GET.get("unit") or all_units[0].slug
    current = next((u for u in all_units if u.slug == slug), None)
    if current is None:
        raise Http404(slug)
    scenario = _scenario_for(current.slug)
    runtime = WorkbenchRuntime(student)
    block = runtime.get_block(scenario.usage_id)
    view = "studio_view" if request.GET.get("view") == "studio" and student in staff_usernames() else "student_view"
    frag = block.render(view, {})

    lang = current_language()
    i18n = BlmaI18nService()

    def link(**params):
        query = {"student": student, "unit": current.slug}
        query.update(params)
        return "?" + urlencode(query)

    nav = _outline(all_units, current, student, link, i18n)
    context = {
        "lang": lang,
        "student": student,
        "is_staff": student in staff_usernames(),
        "nav": nav,
        "people": [{"name": p, "href": "?" + urlencode({"student": p, "unit": current.slug}),
                    "current": p == student} for p in _people()],
        "lang_en": link(lang="en"),
        "lang_fr": link(lang="fr"),
        "studio_href": link(view="studio"),
        "learner_href": link(),
        "in_studio": view == "studio_view",
        "unit_title": pick(current.title, lang).text,
        "body": frag.body_html(),
        "head_html": frag.head_html(),
        "foot_html": frag.foot_html(),
        "csrf_token": get_token(request),
    }
    return HttpResponse(render("workbench/course.html", context, i18n))
