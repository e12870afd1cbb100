"""blma_phase: one phase of the course, with the three-phase timeline and the learner's progress."""
from lxml import etree
from xblock.core import XBlock
from xblock.fields import Scope

from . import storage
from .base import BlmaBlock
from .clock import now
from .core import phases as rules
from .core.text import N_
from .core.validation import check_phase
from .declare import Codec, attribute, html, items, phase_choices, text
from .handlers import handler
from .olx import OlxError
from .sanitize import page_html
from .studio import lines


class ModuleRefs(Codec):
    """<modules><module ref="pre-01-history"/>...</modules>; in Studio, one id per line."""

    container, item = "modules", "module"

    def parse(self, nodes):
        refs = []
        for node in nodes:
            if not node.get("ref") or set(node.attrib) - {"ref"}:
                raise OlxError(N_("<modules> holds <module ref=\"...\"/> elements only."), node.sourceline)
            refs.append(node.get("ref").strip())
        return refs

    def write(self, parent, value):
        for module_id in value:
            etree.SubElement(parent, "module", ref=module_id)

    def to_studio(self, value):
        return "\n".join(value)

    def from_studio(self, raw):
        return lines(raw)


def _modes(block):
    return [(m, rules.MODE_LABELS[m]) for m in rules.MODES]


class PhaseBlock(BlmaBlock, XBlock):
    """A phase: dates, mode, venue, weekly hours, description; timeline, status and progress."""

    check = staticmethod(check_phase)

    kind = attribute(str, N_("Phase"), default="pre_course", choices=phase_choices)
    title = text(N_("Title"))
    # not start/end: the LMS mixes an inherited `start` Date into every block and edx-when stores both
    start_date = attribute(str, N_("Start date"), help=N_("YYYY-MM-DD, in the course's time zone"), default="",
                           studio="date", legacy=("start",))
    end_date = attribute(str, N_("End date"), help=N_("YYYY-MM-DD, inclusive"), default="", studio="date",
                         legacy=("end",))
    timezone = attribute(str, N_("Time zone"), default=rules.DEFAULT_TIMEZONE)
    mode = attribute(str, N_("Mode"), default="online", choices=_modes)
    venue = text(N_("Venue"))
    weekly_hours = attribute(str, N_("Weekly hours"), help=N_("e.g. 5-10"), default="5-10")
    description = html(N_("Description (HTML)"))
    modules = items(N_("Module ids, one per line"), ModuleRefs(), scope=Scope.settings)

    # -- derived values ------------------------------------------------------------
    def info(self):
        try:
            start, end = rules.parse_date(self.start_date), rules.parse_date(self.end_date)
        except ValueError:
            start = end = None
        return rules.PhaseInfo(self.kind, start, end, self.mode, dict(self.title))

    def learner_progress(self):
        done = storage.completed_modules(self.course_run, self.learner_id, self.modules) if self.modules else set()
        return rules.progress(self.modules, done)

    def progress_payload(self, progress):
        text_ = self.gettext("{done} of {total} modules done").format(done=progress.done, total=progress.total)
        return {"done": progress.done, "total": progress.total, "percent": progress.percent, "text": text_}

    def kind_label(self, kind):
        return self.gettext(rules.PHASE_KIND_LABELS.get(kind, kind))

    # -- views ---------------------------------------------------------------------
    def student_view(self, context=None):
        own = self.info()
        today = rules.local_today(self.timezone, now())
        # the course's stored schedule (one read; written at publish or Studio save, never here)
        phases = [p for p in storage.phase_schedules(self.course_run) if p.kind != own.kind] + [own]
        status = rules.phase_status(own.start, own.end, today)
        description = self.localized(self.description)
        context = {
            "title": self.localized(self.title),
            "description_html": page_html(description.text),
            "description_fallback": description.fallback,
            "venue": self.localized(self.venue),
            "kind_label": self.kind_label(self.kind),
            "mode_label": self.gettext(rules.MODE_LABELS.get(self.mode, self.mode)),
            "weekly_hours": self.weekly_hours,
            "start": own.start,
            "end": own.end,
            "status": status,
            "status_label": self.gettext(rules.STATUS_LABELS[status]),
            "timezone": self.timezone,
            "timeline": [self.timeline_entry(e)
                         for e in rules.timeline([p for p in phases if p.start], self.kind, today)],
            "progress": self.progress_payload(self.learner_progress()),
            "has_modules": bool(self.modules),
        }
        return self.render_view("phase.html", context, js="phase.js", init="BlmaPhase",
                                init_args={"modules": list(self.modules)})

    def timeline_entry(self, entry):
        return {
            "title": self.localized(entry.phase.title).text or self.kind_label(entry.phase.kind),
            "kind_label": self.kind_label(entry.phase.kind),
            "start": entry.phase.start,
            "end": entry.phase.end,
            "status": entry.status,
            "status_label": self.gettext(rules.STATUS_LABELS[entry.status]),
            "is_current": entry.is_current,
            "position": entry.position,
        }

    @handler(fields={})
    def progress(self, data, suffix=""):
        """The learner's progress in this phase (after a module is marked done on the page)."""
        return self.progress_payload(self.learner_progress())

    def after_studio_save(self):
        """In Studio the schedule follows publishing (signals.py), so unpublished dates never reach learners;
        where a save is what learners see (the workbench), the schedule follows the save."""
        if getattr(self.runtime.service(self, "studio_user_permissions"), "save_is_publish", False):
            storage.store_phase(self.course_run, self.info())
