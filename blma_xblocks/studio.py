"""Studio editing shared by the blocks: a form of rows, EN and FR side by side."""
from .handlers import handler

from .core.text import LANGUAGES, clean_bilingual
from .core.validation import errors
from .sanitize import clean


class StudioEditableMixin:
    """studio_view renders `studio_rows()`; studio_submit converts, validates and saves.

    A block lists its editable fields in `studio_rows()` (what the form shows) and
    implements `values_from_studio(data)` (form data -> field values) and
    `check_values(values)` (core Problems).
    """

    def studio_view(self, context=None):  # pylint: disable=unused-argument
        return self.render_view("studio_edit.html", {"rows": self.studio_rows()},
                                js="studio.js", init="BlmaStudioEdit")

    @handler(role="author")
    def studio_submit(self, data, suffix=""):  # pylint: disable=unused-argument
        try:
            values = self.values_from_studio(data)
        except (TypeError, ValueError, AttributeError):
            self.fail(400, "The form data is not valid.")
        problems = errors(self.check_values(values))
        if problems:
            messages = [p.render(self.gettext) for p in problems]
            self.fail(400, "Please correct these problems: {messages}", messages=" ".join(messages))
        for name, value in values.items():
            setattr(self, name, value)
        self.after_studio_save()
        return {"result": "success", "warnings": [p.render(self.gettext) for p in self.check_values(values)]}

    def after_studio_save(self):
        """Hook for what must follow a save (a phase stores its schedule)."""

    # -- helpers for rows and values ---------------------------------------------------
    @staticmethod
    def row(name, label, kind, value, **extra):
        return dict(extra, name=name, label=label, kind=kind, value=value)

    @staticmethod
    def bilingual_from(data, name, html=False):
        value = clean_bilingual(data.get(name))
        return {lang: clean(text) if html else text.strip() for lang, text in value.items()}

    @staticmethod
    def lines_from(data, name):
        """Per language, the non-empty lines of a textarea."""
        value = clean_bilingual(data.get(name))
        return {lang: [line.strip() for line in value[lang].splitlines() if line.strip()] for lang in LANGUAGES}

    @staticmethod
    def text_from(data, name, default=""):
        value = data.get(name, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValueError(name)
        return str(value).strip()
