"""blma_module: a learning module (objectives, body, resources, time), with idempotent completion."""
from lxml import etree
from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.fields import Dict, Integer, List, Scope, String
from xblock.validation import Validation

from . import storage
from .base import BlmaBlockMixin, field_label as _
from .core.text import LANGUAGES, N_, bilingual
from .core.validation import check_module
from .handlers import handler
from .olx import (OlxError, check_attributes, elements, int_attribute, read_bilingual, tag_of,
                  unknown_element, write_bilingual)
from .sanitize import clean
from .studio import StudioEditableMixin


class ModuleBlock(BlmaBlockMixin, StudioEditableMixin, CompletableXBlockMixin, XBlock):
    """A module of the course. Completion is the learner's own "Mark as done"."""

    has_custom_completion = True

    display_name = String(display_name=_("Display name"), default="Module", scope=Scope.settings)
    module_id = String(display_name=_("Module id"), help=_("Stable id; phases list their modules by it"),
                       default="", scope=Scope.settings)
    estimated_minutes = Integer(display_name=_("Estimated minutes"), default=60, scope=Scope.settings)
    title = Dict(display_name=_("Title"), default=bilingual(), scope=Scope.content)
    objectives = List(display_name=_("Learning objectives"), default=[], scope=Scope.content)
    body = Dict(display_name=_("Body"), help=_("HTML"), default=bilingual(), scope=Scope.content)
    resources = List(display_name=_("Resources"), help=_("Title and URL"), default=[], scope=Scope.content)

    def values(self):
        return {name: getattr(self, name)
                for name in ("module_id", "estimated_minutes", "title", "objectives", "body", "resources")}

    def is_done(self):
        return self.module_id in storage.completed_modules(self.course_run, self.learner_id, [self.module_id])

    # -- views ---------------------------------------------------------------------
    def student_view(self, context=None):  # pylint: disable=unused-argument
        title = self.localized(self.title)
        body = self.localized(self.body)
        objectives = [self.localized(o) for o in self.objectives]
        resources = [{"url": r.get("url", ""), "title": self.localized(r.get("title"))} for r in self.resources]
        shown = [title, body] + objectives + [r["title"] for r in resources]
        context = {
            "title": title,
            "body_html": clean(body.text),
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

    @handler(fields=())
    def mark_done(self, data, suffix=""):  # pylint: disable=unused-argument
        """Idempotent: the first call records the completion, later ones change nothing."""
        if not self.module_id:
            self.fail(409, "This module has no id yet; ask the course team to set one.")
        if not self.learner_id:
            self.fail(403, "Sign in to record your progress.")
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

    # -- Studio --------------------------------------------------------------------
    def studio_rows(self):
        g = self.gettext
        return [
            self.row("module_id", g("Module id"), "text", self.module_id),
            self.row("title", g("Title"), "pair", self.title),
            self.row("estimated_minutes", g("Estimated minutes"), "number", self.estimated_minutes),
            self.row("objectives", g("Learning objectives, one per line"), "pair-lines",
                     {lang: "\n".join(o.get(lang, "") for o in self.objectives) for lang in LANGUAGES}),
            self.row("body", g("Body (HTML)"), "pair-html", self.body),
            self.row("resources", g("Resources, one per line: URL | title"), "pair-lines",
                     {lang: "\n".join(f"{r.get('url', '')} | {(r.get('title') or {}).get(lang, '')}"
                                      for r in self.resources) for lang in LANGUAGES}),
        ]

    def values_from_studio(self, data):
        values = {"module_id": self.text_from(data, "module_id", self.module_id)}
        minutes = self.text_from(data, "estimated_minutes", str(self.estimated_minutes))
        values["estimated_minutes"] = int(minutes) if minutes.isdigit() else -1
        values["title"] = self.bilingual_from(data, "title")
        values["body"] = self.bilingual_from(data, "body", html=True)
        lines = self.lines_from(data, "objectives")
        count = max(len(lines["en"]), len(lines["fr"]))
        values["objectives"] = [
            {lang: lines[lang][i] if i < len(lines[lang]) else "" for lang in LANGUAGES} for i in range(count)
        ]
        resources = {}
        for lang, rows in self.lines_from(data, "resources").items():
            for i, row in enumerate(rows):
                url, _sep, text = row.partition("|")
                entry = resources.setdefault(i, {"url": url.strip(), "title": bilingual()})
                entry["url"] = entry["url"] or url.strip()
                entry["title"][lang] = text.strip()
        values["resources"] = [resources[i] for i in sorted(resources)]
        return values

    @staticmethod
    def check_values(values):
        return check_module(values)

    def validate(self):
        validation = super().validate() if hasattr(super(), "validate") else Validation(self.scope_ids.usage_id)
        return self.validation_messages(check_module(self.values()), validation)

    # -- OLX -----------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        check_attributes(node, ("module_id", "estimated_minutes"))
        block.module_id = (node.get("module_id") or "").strip()
        block.estimated_minutes = int_attribute(node, "estimated_minutes", 60)
        if node.get("display_name") is not None:
            block.display_name = node.get("display_name")
        for child in elements(node):
            tag = tag_of(child)
            if tag == "title":
                block.title = read_bilingual(child)
            elif tag == "body":
                block.body = read_bilingual(child, html=True)
            elif tag == "objectives":
                block.objectives = [read_bilingual(_only(o, "objective")) for o in elements(child)]
            elif tag == "resources":
                block.resources = [
                    {"url": (r.get("url") or "").strip(), "title": read_bilingual(r)}
                    for r in (_only(r, "resource", "url") for r in elements(child))
                ]
            else:
                raise unknown_element(child, "blma_module")
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        node.set("module_id", self.module_id or "")
        node.set("estimated_minutes", str(self.estimated_minutes))
        if self.fields["display_name"].is_set_on(self):
            node.set("display_name", self.display_name)
        write_bilingual(node, "title", self.title)
        objectives = etree.SubElement(node, "objectives")
        for objective in self.objectives:
            write_bilingual(objectives, "objective", objective)
        write_bilingual(node, "body", self.body, html=True)
        resources = etree.SubElement(node, "resources")
        for resource in self.resources:
            write_bilingual(resources, "resource", resource.get("title")).set("url", resource.get("url", ""))


def _only(node, tag, *attributes):
    if tag_of(node) != tag:
        raise OlxError(N_("Expected <{expected}> here, not <{tag}>."), node.sourceline, expected=tag,
                       tag=tag_of(node))
    check_attributes(node, attributes)
    return node
