"""What every BLMA block shares: who is asking, in which language, for which course."""
from django.conf import settings as django_settings
from xblock.core import XBlock, XBlockMixin
from xblock.exceptions import JsonHandlerError
from xblock.validation import ValidationMessage

from . import storage
from .core.text import pick
from .core.validation import ERROR
from .i18n import JS_NAMESPACE, current_language
from .rendering import fragment

WORKBENCH_COURSE_ID = "course-v1:ITCILO+A9718838+2026"
STAFF_ROLES = ("staff", "instructor", "administrator")


def field_label(text):
    """gettext_noop for field names and help: Studio translates them when it shows them."""
    return text


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("studio_user_permissions")
class BlmaBlockMixin(XBlockMixin):
    """Mixed into each block class; keeps the blocks to fields, views and handlers."""

    # What the LMS publishes with collectstatic is <package>/<resources_dir>: a folder holding only
    # assets/static -> ../../static, so course files, templates and catalogues never become public.
    # Blocks ask for "static/..." URLs (public_dir), served from assets/static/ here and in the LMS.
    resources_dir = "assets"
    public_dir = "static"
    i18n_js_namespace = JS_NAMESPACE

    # -- who and where -------------------------------------------------------------
    def _user_attrs(self):
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        return getattr(user, "opt_attrs", {}) or {}

    @property
    def is_staff(self):
        attrs = self._user_attrs()
        return bool(attrs.get("edx-platform.user_is_staff")) or attrs.get("edx-platform.user_role") in STAFF_ROLES

    @property
    def learner_id(self):
        """The anonymous user id (per course in the LMS), as edx-submissions stores learners."""
        attrs = self._user_attrs()
        return str(attrs.get("edx-platform.anonymous_user_id") or self.scope_ids.user_id or "")

    def remember_learner(self):
        """Record who is behind the anonymous id, from this request, for tutor views (see tutor.py)."""
        service = self.runtime.service(self, "user")
        user = service.get_current_user() if service is not None else None
        attrs = getattr(user, "opt_attrs", {}) or {}
        if self.learner_id and attrs.get("edx-platform.username"):
            storage.remember_learner(self.course_run, self.learner_id, attrs["edx-platform.username"],
                                     getattr(user, "full_name", "") or "")

    @property
    def course_run(self):
        usage = self.scope_ids.usage_id
        course_key = getattr(usage, "course_key", None) or getattr(usage, "context_key", None)
        if course_key is not None:
            return str(course_key)
        return getattr(django_settings, "BLMA_WORKBENCH_COURSE_ID", WORKBENCH_COURSE_ID)

    # -- language ------------------------------------------------------------------
    @property
    def language(self):
        return current_language()

    def gettext(self, message):
        return self.runtime.service(self, "i18n").gettext(message)

    def ngettext(self, singular, plural, number):
        return self.runtime.service(self, "i18n").ngettext(singular, plural, number)

    def localized(self, texts):
        return pick(texts, self.language)

    # -- views and handlers --------------------------------------------------------
    @property
    def html_id(self):
        """A per-block suffix for element ids, so two blocks on one page never clash."""
        raw = str(self.scope_ids.usage_id)
        return "blma-" + "".join(c if c.isalnum() else "-" for c in raw)[-60:]

    def render_view(self, template, context, js=None, init=None, init_args=None):
        context = dict(context, block_id=self.html_id, lang=self.language)
        return fragment(self, template, context, js=js, init=init, init_args=init_args)

    def fail(self, status, message, **params):
        """A JSON error in the user's language (body {"error": ...}), never a traceback."""
        raise JsonHandlerError(status, self.gettext(message).format(**params))

    def field_name_for_user(self, name):
        """A field's label in the user's language (its Studio name), or the name itself."""
        field = self.fields.get(name) if isinstance(name, str) else None
        label = getattr(field, "display_name", None)
        return self.gettext(label) if label and label != name else str(name)

    def can_edit(self):
        """Studio gives a permissions service; elsewhere (workbench, LMS) staff edit."""
        permissions = self.runtime.service(self, "studio_user_permissions")
        if permissions is not None:
            return bool(permissions.can_write(getattr(self.scope_ids.usage_id, "course_key", None)))
        return self.is_staff

    def validation_messages(self, problems, validation):
        """Add core Problems to an XBlock Validation, translated."""
        for problem in problems:
            kind = ValidationMessage.ERROR if problem.severity == ERROR else ValidationMessage.WARNING
            validation.add(ValidationMessage(kind, problem.render(self.gettext)))
        return validation
