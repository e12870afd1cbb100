"""The Studio form of a declared field: what its row shows, and the value from what the row sends.

The form (templates/studio_edit.html, static/js/studio.js) shows English and French side by
side; base.BlmaBlock builds its rows and saves it through these two functions.
"""
import re

from .core.text import LANGUAGES, clean_bilingual
from .sanitize import clean

WHOLE_NUMBER = re.compile(r"-?\d+")


def row_value(spec, value):
    """What the field's Studio row shows."""
    return spec.codec.to_studio(value) if spec.kind == "items" else value


def text_of(raw):
    """A scalar sent by the form, as text (numbers too); anything else is not a form value."""
    if raw is None:
        return ""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise ValueError(raw)
    return str(raw).strip()


def value_from_form(spec, raw):
    """The field's value from its row. A number that does not parse becomes None: the core check
    then says what the field must be (in the author's language), instead of a generic error."""
    if spec.kind == "attribute":
        text = text_of(raw)
        if spec.value_type is int:
            return int(text) if WHOLE_NUMBER.fullmatch(text) else None
        if spec.value_type is float:
            try:
                return float(text.replace(",", "."))
            except ValueError:
                return None
        return text
    if spec.kind == "items":
        return spec.codec.from_studio(raw)
    value = clean_bilingual(raw)
    if spec.kind == "html":
        return {lang: clean(text) for lang, text in value.items()}
    return {lang: text.strip() for lang, text in value.items()}


def lines_per_language(raw):
    """Per language, the non-empty lines of a pair of textareas."""
    value = clean_bilingual(raw)
    return {lang: [line.strip() for line in value[lang].splitlines() if line.strip()] for lang in LANGUAGES}


def lines(raw):
    """The non-empty lines of one textarea."""
    if not isinstance(raw, str):
        raise ValueError(raw)
    return [line.strip() for line in raw.splitlines() if line.strip()]
