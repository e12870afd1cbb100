"""BlmaBlock: the base of every BLMA block. A block declares its fields (declare.py) and writes its
views and handlers; everything else comes from here.

Where each inherited attribute comes from (the whole MRO of a BLMA block):
- `XBlock`, always the last base (and its Blocklike bases): fields, runtime, services, `render`,
  `handle`, `parse_xml`'s contract, `open_local_resource`;
- `BlmaBlock` (this module): who is asking (`is_staff`, `learner_id`, `course_run`), the language
  (`gettext`, `localized`), views (`render_view`), errors (`fail`), and from the field
  declarations: `values`, `studio_view`/`studio_submit`, `parse_xml`/`add_xml_to_node`, `validate`;
- a block may add at most one XBlock mixin of its own (the module adds `CompletableXBlockMixin`).
"""
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.utils import formats
from django.utils.timezone import localtime
from lxml import etree
from xblock.core import XBlock, XBlockMixin
from xblock.exceptions import JsonHandlerError
from xblock.fields import Scope, String
from xblock.validation import Validation, ValidationMessage

from . import registry, storage
from .core.phases import DEFAULT_TIMEZONE
from .core.text import N_, pick
from .core.validation import ERROR, errors, parse_datetime
from .declare import specs
from .handlers import handler
from .i18n import JS_NAMESPACE, current_language
from .olx import (OlxError, check_attributes, elements, read_item, read_undeclared, tag_of, undeclared_fields,
                  unknown_element, write_item, write_undeclared)
from .rendering import fragment
from .studio import row_value, text_of, value_from_form

WORKBENCH_COURSE_ID = "course-v1:ITCILO+A9718838+2026"
STAFF_ROLES = ("staff", "instructor", "administrator")
MAX_DISPLAY_NAME = 255  # characters: a name the outline and the navigation show on one line


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("studio_user_permissions")
class BlmaBlock(XBlockMixin):
    """The shared skeleton: identity, language, views, Studio editing, OLX and validation.

    A mixin placed before XBlock (`class PhaseBlock(BlmaBlock, XBlock)`), so that in the LMS the
    mixins the runtime adds (LmsBlockMixin's validate) still run after ours through super().
    """

    # What the LMS publishes with collectstatic is <package>/<resources_dir>: a folder holding only
    # assets/static -> ../../static, so course files, templates and catalogues never become public.
    # Blocks ask for "static/..." URLs (public_dir), served from assets/static/ here and in the LMS.
    # A block class must live in a module directly inside blma_xblocks/ for this to hold.
    resources_dir = "assets"
    public_dir = "static"
    i18n_js_namespace = JS_NAMESPACE
    check = None  # the core check of the block's values: a function values -> [Problem]

    display_name = String(display_name=N_("Display name"), default="", scope=Scope.settings)

    # -- who and where -------------------------------------------------------------------
    def _current_user(self):
        service = self.runtime.service(self, "user")
        return service.get_current_user() if service is not None else None

    def _user_attrs(self):
        return getattr(self._current_user(), "opt_attrs", {}) or {}

    @property
    def is_staff(self):
        attrs = self._user_attrs()
        return bool(attrs.get("edx-platform.user_is_staff")) or attrs.get("edx-platform.user_role") in STAFF_ROLES

    def tutor_name(self):
        """Who is acting, as a tutor's actions record it (resets, grading)."""
        return self._user_attrs().get("edx-platform.username") or "staff"

    @property
    def learner_id(self):
        """The anonymous user id (per course in the LMS), as edx-submissions stores learners."""
        attrs = self._user_attrs()
        return str(attrs.get("edx-platform.anonymous_user_id") or self.scope_ids.user_id or "")

    @property
    def course_run(self):
        usage = self.scope_ids.usage_id
        course_key = getattr(usage, "course_key", None) or getattr(usage, "context_key", None)
        if course_key is not None:
            return str(course_key)
        return getattr(django_settings, "BLMA_WORKBENCH_COURSE_ID", WORKBENCH_COURSE_ID)

    @property
    def block_key(self):
        """The usage id as the project's tables store it."""
        return str(self.scope_ids.usage_id)

    def due_at(self):
        """The block's `due_date` (an ISO datetime with offset) as a datetime; None when unset or invalid."""
        raw = getattr(self, "due_date", "")
        try:
            return parse_datetime(raw) if raw else None
        except ValueError:
            return None

    def remember_learner(self):
        """Record who is behind the anonymous id, from this request, for tutor views (see tutor.py)."""
        user = self._current_user()
        attrs = getattr(user, "opt_attrs", {}) or {}
        if self.learner_id and attrs.get("edx-platform.username"):
            storage.remember_learner(self.course_run, self.learner_id, attrs["edx-platform.username"],
                                     getattr(user, "full_name", "") or "")

    def can_edit(self):
        """Authors edit where Studio's permissions service says so (the workbench gives its own). The LMS
        gives none: its content and settings are read-only there, so nobody edits in the LMS."""
        permissions = self.runtime.service(self, "studio_user_permissions")
        if permissions is None:
            return False
        return bool(permissions.can_write(getattr(self.scope_ids.usage_id, "course_key", None)))

    def read_only(self, name):
        """A field's value to read and never change. XBlock deep-copies a list or dict field the first
        time it is read, to notice changes made in place: for the quiz's 32-question bank that copy was
        a fifth of a page request. Reads what this instance holds (edited or read), else the store."""
        if name in self._field_data_cache:
            return self._field_data_cache[name]
        field = getattr(type(self), name)  # the Field itself
        if self._field_data.has(self, name):
            return field.from_json(self._field_data.get(self, name))
        return field.default

    # -- language ------------------------------------------------------------------------
    @property
    def language(self):
        return current_language()

    def gettext(self, message):
        return self.runtime.service(self, "i18n").gettext(message)

    def ngettext(self, singular, plural, number):
        return self.runtime.service(self, "i18n").ngettext(singular, plural, number)

    def localized(self, texts):
        return pick(texts, self.language)

    def local_date(self, moment):
        """A moment as the learner reads it: the course's time zone (not the server's), their language."""
        return formats.date_format(localtime(moment, ZoneInfo(DEFAULT_TIMEZONE)), "j F Y H:i")

    def field_name_for_user(self, name):
        """A field's label in the user's language (its Studio name), or the name itself."""
        field = self.fields.get(name) if isinstance(name, str) else None
        label = getattr(field, "display_name", None)
        return self.gettext(label) if label and label != name else str(name)

    # -- views and errors ----------------------------------------------------------------
    @property
    def html_id(self):
        """A per-block suffix for element ids, so two blocks on one page never clash."""
        raw = str(self.scope_ids.usage_id)
        return "blma-" + "".join(c if c.isalnum() else "-" for c in raw)[-60:]

    def render_view(self, template, context, js=None, init=None, init_args=None, vendor=()):
        context = dict(context, block_id=self.html_id, lang=self.language)
        return fragment(self, template, context, js=js, init=init, init_args=init_args, vendor=vendor)

    def fail(self, status, message, **params):
        """A JSON error in the user's language (body {"error": ...}), never a traceback."""
        raise JsonHandlerError(status, self.gettext(message).format(**params))

    # -- values, derived from the declarations --------------------------------------------
    def values(self):
        """Every declared field's value, as the core checks read them."""
        return {name: getattr(self, name) for name, _field, _spec in specs(type(self))}

    def problems(self, values=None):
        check = type(self).check
        return check(self.values() if values is None else values) if check else []

    def problem_text(self, problem):
        """A check's finding in the author's language, naming fields by their Studio labels."""
        return problem.render(self.gettext, self.field_name_for_user)

    def validate(self):
        validation = super().validate() if hasattr(super(), "validate") else Validation(self.scope_ids.usage_id)
        for problem in self.problems():
            kind = ValidationMessage.ERROR if problem.severity == ERROR else ValidationMessage.WARNING
            validation.add(ValidationMessage(kind, self.problem_text(problem)))
        return validation

    # -- Studio ------------------------------------------------------------------------------
    def studio_rows(self):
        # the component's name in the course outline and the LMS's navigation, first, as Studio puts it
        rows = [{"name": "display_name", "label": self.gettext(type(self).display_name.display_name), "kind": "text",
                 "value": self.display_name}]
        for name, field, spec in specs(type(self)):
            row = {"name": name, "label": self.gettext(field.display_name), "kind": spec.studio,
                   "value": row_value(spec, getattr(self, name))}
            if spec.choices:
                row["options"] = [(value, self.gettext(label)) for value, label in spec.choices(self)]
            rows.append(row)
        return rows

    def studio_view(self, context=None):
        return self.render_view("studio_edit.html", {"rows": self.studio_rows()}, js="studio.js",
                                init="BlmaStudioEdit")

    def values_from_studio(self, data):
        """Form data -> field values (a field the form did not send keeps its value); 400 naming the field."""
        values = {}
        for name, _field, spec in specs(type(self)):
            if name not in data:
                values[name] = getattr(self, name)
                continue
            try:
                values[name] = value_from_form(spec, data[name])
            except OlxError as error:  # an items field's OLX, with its line
                self.fail(400, N_("{field}, line {line}: {problem}"), field=self.field_name_for_user(name),
                          line=error.line or 1, problem=error.render(self.gettext))
            except (TypeError, ValueError, AttributeError):
                self.fail(400, N_("{field}: this value is not valid."), field=self.field_name_for_user(name))
        return values

    def display_name_from_studio(self, data):
        """The display name the form sent (None when it sent none); 400 when it is not text."""
        if "display_name" not in data:
            return None
        try:
            return text_of(data["display_name"])[:MAX_DISPLAY_NAME]
        except ValueError:
            return self.fail(400, N_("{field}: this value is not valid."),
                             field=self.field_name_for_user("display_name"))

    @handler(role="author")
    def studio_submit(self, data, suffix=""):
        """Convert, check, then save all or nothing; warnings come back to the author."""
        values = self.values_from_studio(data)
        named = self.display_name_from_studio(data)
        blocking = errors(self.problems(values))
        if blocking:
            self.fail(400, N_("Please correct these problems: {messages}"),
                      messages=" ".join(map(self.problem_text, blocking)))
        for name, value in values.items():
            setattr(self, name, value)
        if named is not None:
            self.display_name = named
        self.after_studio_save()
        return {"result": "success", "warnings": list(map(self.problem_text, self.problems(values)))}

    def after_studio_save(self):
        """Hook for what must follow a save (a phase stores its schedule)."""

    # -- OLX ---------------------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys):
        block = runtime.construct_xblock_from_class(cls, keys)
        declared = specs(cls)
        attributes = [n for n, _f, s in declared if s.kind == "attribute"]
        undeclared = undeclared_fields(cls.fields, [name for name, _f, _s in declared])
        check_attributes(node, attributes + [old for _n, _f, s in declared for old in s.legacy] + list(undeclared))
        read_undeclared(block, node, undeclared)
        by_tag = {}
        for name, _field, spec in declared:
            if spec.kind == "attribute":
                value = read_item(node, name, spec)
                if value is not None:
                    setattr(block, name, value)
            else:
                by_tag[spec.codec.container or spec.codec.item if spec.kind == "items" else name] = (name, spec)
        found = {}
        for child in elements(node):
            entry = by_tag.get(tag_of(child))
            if entry is None:
                raise unknown_element(child, cls.xml_tag())
            found.setdefault(entry, []).append(child)
        for (name, spec), nodes in found.items():
            setattr(block, name, read_item(nodes, name, spec))
        return block

    def add_xml_to_node(self, node):
        node.tag = self.xml_element_name()
        write_undeclared(self, node, undeclared_fields(self.fields, [name for name, _f, _s in specs(type(self))]))
        for name, _field, spec in specs(type(self)):
            write_item(node, name, spec, getattr(self, name))

    @classmethod
    def xml_tag(cls):
        """The block's OLX tag (its entry point name in the registry), for messages."""
        name = getattr(cls, "unmixed_class", cls).__name__
        return next((tag for tag, target in registry.BLOCKS.items() if target.endswith(":" + name)), name)


def xml_of(block):
    """A block's OLX as a string (round-trip tests and Studio previews)."""
    node = etree.Element("block")
    block.add_xml_to_node(node)
    return etree.tostring(node, encoding="unicode")
