"""blma_module: a learning module (objectives, body, resources, time), with idempotent completion."""
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock

from . import storage
from .base import BlmaBlock
from .core.text import LANGUAGES, N_, bilingual
from .core.validation import check_module, safe_url
from .declare import Codec, attribute, html, items, text
from .handlers import handler
from .olx import check_attributes, read_bilingual, write_bilingual
from .sanitize import page_html
from .studio import lines_per_language


class Objectives(Codec):
    """<objectives><objective><en/><fr/></objective>...</objectives>; in Studio, one per line per language."""

    studio, container, item = "pair-lines", "objectives", "objective"

    def parse(self, nodes):
        for node in nodes:
            check_attributes(node, ())
        return [read_bilingual(node) for node in nodes]

    def write(self, parent, value):
        for objective in value:
            write_bilingual(parent, "objective", objective)

    def to_studio(self, value):
        return {lang: "\n".join(o.get(lang, "") for o in value) for lang in LANGUAGES}

    def from_studio(self, raw):
        per_language = lines_per_language(raw)
        count = max(len(per_language["en"]), len(per_language["fr"]))
        return [{lang: per_language[lang][i] if i < len(per_language[lang]) else "" for lang in LANGUAGES}
                for i in range(count)]


class Resources(Codec):
    """<resources><resource url="..."><en/><fr/></resource>...</resources>; in Studio "URL | title"."""

    studio, container, item = "pair-lines", "resources", "resource"

    def parse(self, nodes):
        for node in nodes:
            check_attributes(node, ("url",))
        return [{"url": (node.get("url") or "").strip(), "title": read_bilingual(node)} for node in nodes]

    def write(self, parent, value):
        for resource in value:
            write_bilingual(parent, "resource", resource.get("title")).set("url", resource.get("url", ""))

    def to_studio(self, value):
        return {lang: "\n".join(f"{r.get('url', '')} | {(r.get('title') or {}).get(lang, '')}" for r in value)
                for lang in LANGUAGES}

    def from_studio(self, raw):
        found = {}
        for lang, rows in lines_per_language(raw).items():
            for i, row in enumerate(rows):
                url, _sep, title = row.partition("|")
                entry = found.setdefault(i, {"url": url.strip(), "title": bilingual()})
                entry["url"] = entry["url"] or url.strip()
                entry["title"][lang] = title.strip()
        return [found[i] for i in sorted(found)]


class ModuleBlock(CompletableXBlockMixin, BlmaBlock, XBlock):
    """A module of the course. Completion is the learner's own "Mark as done"."""

    check = staticmethod(check_module)
    has_custom_completion = True

    module_id = attribute(str, N_("Module id"), help=N_("Stable id; phases list their modules by it"), default="")
    title = text(N_("Title"))
    estimated_minutes = attribute(int, N_("Estimated minutes"), default=60)
    objectives = items(N_("Learning objectives, one per line"), Objectives())
    body = html(N_("Body (HTML)"))
    resources = items(N_("Resources, one per line: URL | title"), Resources())

    def is_done(self):
        return self.module_id in storage.completed_modules(self.course_run, self.learner_id, [self.module_id])

    # -- views ---------------------------------------------------------------------
    def student_view(self, context=None):
        title = self.localized(self.title)
        body = self.localized(self.body)
        objectives = [self.localized(o) for o in self.objectives]
        # only web and mail links: validate() flags the rest, but an import or Studio's field API skips it
        resources = [{"url": r.get("url", ""), "title": self.localized(r.get("title"))} for r in self.resources
                     if safe_url(str(r.get("url") or ""))]
        shown = [title, body] + objectives + [r["title"] for r in resources]
        context = {
            "title": title,
            "body_html": page_html(body.text),
            "body_fallback": body.fallback,
            "objectives": objectives,
            "resources": resources,
            "minutes": self.estimated_minutes,
            "hours_text": self.duration_text(),
            "done": self.is_done(),
            "any_fallback": any(t.fallback for t in shown),
        }
        return self.render_view("module.html", context, js="module.js", init="BlmaModule",
                                init_args={"module_id": self.module_id})

    def duration_text(self):
        hours, minutes = divmod(int(self.estimated_minutes or 0), 60)
        if hours and minutes:
            return self.gettext("about {hours} h {minutes} min").format(hours=hours, minutes=minutes)
        if hours:
            return self.ngettext("about {hours} hour", "about {hours} hours", hours).format(hours=hours)
        return self.gettext("about {minutes} min").format(minutes=minutes)

    @handler(fields={})
    def mark_done(self, data, suffix=""):
        """Idempotent: the first call records the completion, later ones change nothing."""
        if not self.module_id:
            self.fail(409, N_("This module has no id yet; ask the course team to set one."))
        if not self.learner_id:
            self.fail(403, N_("Sign in to record your progress."))
        self.remember_learner()
        completed_at, created = storage.mark_module_done(self.course_run, self.learner_id, self.module_id)
        self.emit_completion(1.0)  # the LMS completion API; repeating it is harmless
        return {
            "done": True,
            "created": created,
            "completed_at": completed_at.isoformat(),
            "module_id": self.module_id,
            "message": self.gettext("Module marked as done."),
        }
