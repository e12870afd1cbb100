"""OLX reading and writing shared by the blocks: bilingual elements and strict attributes.

A bilingual value is an element holding <en> and <fr>; an HTML value keeps its
markup (CDATA or child elements). Every mistake raises OlxError with the line,
so `blma validate` and the workbench loader can say file:line.
"""
import yaml
from lxml import etree
from xblock.fields import Scope

from .core.text import LANGUAGES, N_
from .sanitize import clean

# Attributes any block tag may carry (Open edX and XBlock add these).
COMMON_ATTRIBUTES = {"url_name", "display_name", "xblock-family"}


class OlxError(ValueError):
    """A content mistake at a line; message is an English msgid with {named} params."""

    def __init__(self, message, line=None, **params):
        self.message = message
        self.line = line
        self.params = params
        super().__init__(self.render())

    def render(self, gettext=lambda s: s):
        return gettext(self.message).format(**self.params)


def tag_of(node):
    return etree.QName(node).localname if isinstance(node.tag, str) else None


def elements(node):
    """Child elements, without comments and processing instructions."""
    return [child for child in node if isinstance(child.tag, str)]


def inner_text(node, html=False):
    """The text of an element; for HTML, its inner markup as written."""
    if not html or len(node) == 0:  # an lxml element's truth value is deprecated: count its children
        return (node.text or "").strip()
    parts = [node.text or ""]
    for child in node:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).strip()


def read_bilingual(node, html=False):
    """{"en": ..., "fr": ...} from <x><en>..</en><fr>..</fr></x>."""
    value = {lang: "" for lang in LANGUAGES}
    for child in elements(node):
        lang = tag_of(child)
        if lang not in LANGUAGES:
            raise OlxError(N_("<{parent}> may only hold <en> and <fr>, not <{tag}>."), child.sourceline,
                           parent=tag_of(node), tag=lang)
        value[lang] = inner_text(child, html)
    if (node.text or "").strip():
        raise OlxError(N_("Put the text of <{parent}> inside <en> and <fr>."), node.sourceline,
                       parent=tag_of(node))
    return value


def write_bilingual(parent, tag, value, html=False):
    """Append <tag><en>..</en><fr>..</fr></tag>; HTML goes in CDATA so it round-trips as written."""
    node = etree.SubElement(parent, tag)
    for lang in LANGUAGES:
        child = etree.SubElement(node, lang)
        text = (value or {}).get(lang) or ""
        child.text = etree.CDATA(text) if html and text else text
    return node


def check_attributes(node, allowed):
    unknown = sorted(set(node.attrib) - set(allowed) - COMMON_ATTRIBUTES)
    if unknown:
        raise OlxError(N_("Unknown attribute \"{name}\" on <{tag}>."), node.sourceline,
                       name=unknown[0], tag=tag_of(node))


def carrier(node, name, renamed=None):
    """The attribute holding field `name` in this file: its own, or the older name it replaced.

    `renamed` maps old attribute names to new ones; files exported by earlier versions still import.
    """
    if node.get(name) is None:
        for old, new in (renamed or {}).items():
            if new == name and node.get(old) is not None:
                return old
    return name


def int_attribute(node, name, default=None):
    raw = node.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise OlxError(N_("Attribute \"{name}\" must be a whole number, not \"{value}\"."), node.sourceline,
                       name=name, value=raw) from None


def unknown_element(child, parent_tag):
    return OlxError(N_("Unknown element <{tag}> in <{parent}>."), child.sourceline,
                    tag=tag_of(child), parent=parent_tag)


def parse_file(path):
    """Parse a content file; malformed XML becomes an OlxError at its line."""
    parser = etree.XMLParser(remove_blank_text=False, resolve_entities=False, no_network=True)
    try:
        return etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise OlxError(N_("Malformed XML: {detail}"), line, detail=exc.msg) from None


def parse_string(text):
    """Parse OLX from a string (a Studio textarea, a test); malformed XML becomes an OlxError at its line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        return etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text, parser)
    except etree.XMLSyntaxError as exc:
        raise OlxError(N_("Malformed XML: {detail}"), exc.lineno, detail=exc.msg) from None


def float_attribute(node, name):
    raw = node.get(name)
    try:
        return float(raw.strip())
    except ValueError:
        raise OlxError(N_("Attribute \"{name}\" must be a number, not \"{value}\"."), node.sourceline,
                       name=name, value=raw) from None


# -- the generic reader and writer of declared fields (declare.py) ----------------------------------
def read_item(source, name, spec):
    """A declared field's value: from the block's element (attribute) or from its own elements."""
    if spec.kind == "attribute":
        attr = carrier(source, name, {old: name for old in spec.legacy})
        if source.get(attr) is None:
            return None
        if spec.value_type is int:
            return int_attribute(source, attr)
        if spec.value_type is float:
            return float_attribute(source, attr)
        return source.get(attr).strip()
    if spec.kind in ("text", "html") or spec.codec.container:
        if len(source) > 1:
            raise OlxError(N_("<{tag}> appears twice."), source[1].sourceline, tag=tag_of(source[1]))
    if spec.kind == "text":
        return read_bilingual(source[0])
    if spec.kind == "html":
        return {lang: clean(text) for lang, text in read_bilingual(source[0], html=True).items()}
    codec = spec.codec
    nodes = elements(source[0]) if codec.container else source
    for node in nodes:
        if tag_of(node) != codec.item:
            raise OlxError(N_("Expected <{expected}> here, not <{tag}>."), node.sourceline, expected=codec.item,
                           tag=tag_of(node))
    return codec.parse(nodes)


def write_item(node, name, spec, value):
    """Write a declared field into the block's element (the reverse of read_item)."""
    if spec.kind == "attribute":
        node.set(name, "" if value is None else str(value))
    elif spec.kind in ("text", "html"):
        write_bilingual(node, name, value, html=spec.kind == "html")
    else:
        codec = spec.codec
        codec.write(etree.SubElement(node, codec.container) if codec.container else node, value or [])


# -- fields a block does not declare -----------------------------------------------------------
def undeclared_fields(fields, declared):
    """A block's fields that are not its declarations: its display name, XBlock's own and, in the LMS,
    those the runtime mixes in (visible_to_staff_only, group_access, start, due...). Read and written
    as XBlock's default OLX does, as attributes, so Studio's "Hide from learners" and access groups
    survive a course export and import."""
    skip = set(declared) | {"children", "parent", "content"}
    return {name: field for name, field in fields.items()
            if name not in skip and field.scope in (Scope.settings, Scope.content)}


def read_undeclared(block, node, fields):
    for name, field in fields.items():
        raw = node.get(name)
        if raw is not None:
            try:
                setattr(block, name, field.from_string(raw))
            except (TypeError, ValueError, yaml.YAMLError):  # XBlock reads attribute values as YAML
                raise OlxError(N_("The attribute {name}=\"{value}\" is not valid."), node.sourceline,
                               name=name, value=raw) from None


def write_undeclared(block, node, fields):
    for name, field in fields.items():
        if field.is_set_on(block):
            node.set(name, field.to_string(field.read_from(block)) or "")
