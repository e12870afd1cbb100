"""blma_phase: one phase of the course, with the three-phase timeline and the learner's progress."""
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Dict, List, Scope, String
from xblock.validation import Validation

from . import storage
from .base import BlmaBlockMixin, field_label as _
from .clock import now
from .core import phases as rules
from .core.text import N_, bilingual
from .core.validation import check_phase
from .handlers import handler
from .olx import (OlxError, carrier, check_attributes, elements, read_bilingual, tag_of, unknown_element,
                  write_bilingual)
from .sanitize import clean
from .studio import StudioEditableMixin

ATTRIBUTES = ("kind", "start_date", "end_date", "mode", "weekly_hours", "timezone")
# Files written before 0.2 used start/end: names the LMS gives every block (a Date it stores at publish).
LEGACY_ATTRIBUTES = {"start": "start_date", "end": "end_date"}


class PhaseBlock(BlmaBlockMixin, StudioEditableMixin, XBlock):
    """A phase: dates, mode, venue, weekly hours, description; timeline, status and progress."""

    display_name = String(display_name=_("Display name"), default="Course phase", scope=Scope.settings)
    kind = String(display_name=_("Phase"), default="pre_course", values=list(rules.PHASE_KINDS),
                  scope=Scope.settings)
    # not start/end: the LMS mixes an inherited `start` Date into every block and edx-when stores both
    start_date = String(display_name=_("Start date"), help=_("YYYY-MM-DD, in the course's time zone"),
                        default="", scope=Scope.settings)
    end_date = String(display_name=_("End date"), help=_("YYYY-MM-DD, inclusive"), default="",
                      scope=Scope.settings)
    timezone = String(display_name=_("Time zone"), default=rules.DEFAULT_TIMEZONE, scope=Scope.settings)
    mode = String(display_name=_("Mode"), default="online", values=list(rules.MODES), scope=Scope.settings)
    weekly_hours = String(display_name=_("Weekly hours"), help=_("e.g. 5-10"), default="5-10",
                          scope=Scope.settings)
    title = Dict(display_name=_("Title"), default=bilingual(), scope=Scope.content)
    venue = Dict(display_name=_("Venue"), default=bilingual(), scope=Scope.content)
    description = Dict(display_name=_("Description"), help=_("HTML"), default=bilingual(), scope=Scope.content)
    modules = List(display_name=_("Modules"), help=_("The module ids of this phase, in order"), default=[],
                   scope=Scope.settings)

    # -- derived values ------------------------------------------------------------
    def values(self):
        return {name: getattr(self, name) for name in ATTRIBUTES + ("title", "venue", "description", "modules")}

    def info(self):
        try:
            start, end = rules.parse_date(self.start_date), rules.parse_date(self.end_date)
        except ValueError:
            start = end = None
        return rules.PhaseInfo(self.kind, start, end, self.mode, dict(self.title))

    def today(self):
        return rules.local_today(self.timezone, now())

    def learner_progress(self):
        done = storage.completed_modules(self.course_run, self.learner_id, self.modules) if self.modules else set()
        return rules.progress(self.modules, done)

    def progress_payload(self, progress):
        text = self.gettext("{done} of {total} modules done").format(done=progress.done, total=progress.total)
        return {"done": progress.done, "total": progress.total, "percent": progress.percent, "text": text}

    # -- views ---------------------------------------------------------------------
    def student_view(self, context=None):  # pylint: disable=unused-argument
        own = self.info()
        today = self.today()
        phases = storage.schedules_with(self.course_run, own) if own.start and own.end else [own]
        entries = rules.timeline([p for p in phases if p.start], self.kind, today)
        title = self.localized(self.title)
        description = self.localized(self.description)
        progress = self.learner_progress()
        status = rules.phase_status(own.start, own.end, today)
        context = {
            "title": title,
            "description_html": clean(description.text),
            "description_fallback": description.fallback,
            "venue": self.localized(self.venue),
            "kind_label": self.gettext(rules.PHASE_KIND_LABELS.get(self.kind, self.kind)),
            "mode_label": self.gettext(rules.MODE_LABELS.get(self.mode, self.mode)),
            "weekly_hours": self.weekly_hours,
            "start": own.start,
            "end": own.end,
            "status": status,
            "status_label": self.gettext(rules.STATUS_LABELS[status]),
            "timezone": self.timezone,
            "timeline": [
                {
                    "title": self.localized(e.phase.title).text
                    or self.gettext(rules.PHASE_KIND_LABELS.get(e.phase.kind, e.phase.kind)),
                    "kind_label": self.gettext(rules.PHASE_KIND_LABELS.get(e.phase.kind, e.phase.kind)),
                    "start": e.phase.start,
                    "end": e.phase.end,
                    "status": e.status,
                    "status_label": self.gettext(rules.STATUS_LABELS[e.status]),
                    "is_current": e.is_current,
                    "position": e.position,
                }
                for e in entries
            ],
            "progress": self.progress_payload(progress),
            "has_modules": bool(self.modules),
        }
        return self.render_view("phase.html", context, js="phase.js", init="BlmaPhase",
                                init_args={"modules": list(self.modules)})

    @handler(fields=())
    def progress(self, data, suffix=""):  # pylint: disable=unused-argument
        """The learner's progress in this phase (after a module is marked done on the page)."""
        return self.progress_payload(self.learner_progress())

    # -- Studio --------------------------------------------------------------------
    def studio_rows(self):
        g = self.gettext
        return [
            self.row("kind", g("Phase"), "select", self.kind,
                     options=[(k, g(rules.PHASE_KIND_LABELS[k])) for k in rules.PHASE_KINDS]),
            self.row("title", g("Title"), "pair", self.title),
            self.row("start_date", g("Start date"), "date", self.start_date),
            self.row("end_date", g("End date"), "date", self.end_date),
            self.row("timezone", g("Time zone"), "text", self.timezone),
            self.row("mode", g("Mode"), "select", self.mode,
                     options=[(m, g(rules.MODE_LABELS[m])) for m in rules.MODES]),
            self.row("venue", g("Venue"), "pair", self.venue),
            self.row("weekly_hours", g("Weekly hours"), "text", self.weekly_hours),
            self.row("description", g("Description (HTML)"), "pair-html", self.description),
            self.row("modules", g("Module ids, one per line"), "lines", "\n".join(self.modules)),
        ]

    def values_from_studio(self, data):
        values = {name: self.text_from(data, name, getattr(self, name)) for name in ATTRIBUTES}
        values["title"] = self.bilingual_from(data, "title")
        values["venue"] = self.bilingual_from(data, "venue")
        values["description"] = self.bilingual_from(data, "description", html=True)
        raw = data.get("modules", "")
        if not isinstance(raw, str):
            raise ValueError("modules")
        values["modules"] = [line.strip() for line in raw.splitlines() if line.strip()]
        return values

    @staticmethod
    def check_values(values):
        return check_phase(values)

    def after_studio_save(self):
        own = self.info()
        if own.start and own.end:
            storage.schedules_with(self.course_run, own)

    def validate(self):
        validation = super().validate() if hasattr(super(), "validate") else Validation(self.scope_ids.usage_id)
        return self.validation_messages(check_phase(self.values()), validation)

    # -- OLX -----------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        check_attributes(node, ATTRIBUTES + tuple(LEGACY_ATTRIBUTES))
        for name in ATTRIBUTES:
            source = carrier(node, name, LEGACY_ATTRIBUTES)
            if node.get(source) is not None:
                setattr(block, name, node.get(source).strip())
        if node.get("display_name") is not None:
            block.display_name = node.get("display_name")
        for child in elements(node):
            tag = tag_of(child)
            if tag in ("title", "venue"):
                setattr(block, tag, read_bilingual(child))
            elif tag == "description":
                block.description = read_bilingual(child, html=True)
            elif tag == "modules":
                block.modules = [_module_ref(ref) for ref in elements(child)]
            else:
                raise unknown_element(child, "blma_phase")
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        for name in ATTRIBUTES:
            node.set(name, getattr(self, name) or "")
        if self.fields["display_name"].is_set_on(self):
            node.set("display_name", self.display_name)
        write_bilingual(node, "title", self.title)
        write_bilingual(node, "venue", self.venue)
        write_bilingual(node, "description", self.description, html=True)
        modules = etree.SubElement(node, "modules")
        for module_id in self.modules:
            etree.SubElement(modules, "module", ref=module_id)

    @staticmethod
    def workbench_scenarios():
        from .course import workbench_scenarios  # the course is read from modules/ on demand
        return workbench_scenarios()


def _module_ref(node):
    if tag_of(node) != "module" or not node.get("ref"):
        raise OlxError(N_("<modules> holds <module ref=\"...\"/> elements only."), node.sourceline)
    return node.get("ref").strip()
