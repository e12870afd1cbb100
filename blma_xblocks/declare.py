"""One declaration per field: an XBlock field that also says how it reads and writes as OLX and in Studio.

A BLMA block declares its fields with these functions; each returns an ordinary XBlock field
(String, Integer, Float, Dict, List) whose `runtime_options["blma"]` holds a `Spec`. The base
block (base.py) derives from the specs: `values()`, the Studio form and its parsing, `parse_xml`
and `add_xml_to_node`, and the `validate()` plumbing. Labels are written once (`N_`, translated
where shown).

Kinds:
- attribute: a scalar, an OLX attribute of the block's element;
- text / html: a bilingual value, an element holding <en> and <fr> (html: CDATA, sanitized on
  save and on parse, so views never sanitize again);
- items: a list read and written by a `Codec` (its own elements, its own Studio text).
"""
import itertools
from dataclasses import dataclass, field as dataclass_field

from xblock.fields import Dict, Float, Integer, List, Scope, String

from .core.phases import PHASE_KIND_LABELS, PHASE_KINDS
from .core.text import bilingual

_order = itertools.count()
SCALARS = {str: String, int: Integer, float: Float}


@dataclass(frozen=True)
class Spec:
    """What a declared field carries besides the XBlock field: its OLX kind, its Studio row, its codec."""
    kind: str  # attribute, text, html, items
    studio: str  # the Studio row: text, number, date, select, pair, pair-html, pair-lines, lines
    value_type: type = str
    legacy: tuple = ()  # older OLX attribute names still read (files from earlier versions)
    choices: object = None  # callable(block) -> [(value, label)] for a select
    codec: object = None  # items: how the list reads and writes
    order: int = dataclass_field(default_factory=lambda: next(_order))


def attribute(value_type, label, *, default, help="", studio=None, choices=None, legacy=(),  # noqa: A002  pylint: disable=redefined-builtin
              scope=Scope.settings):
    """A scalar setting, an OLX attribute of the same name."""
    studio = studio or ("select" if choices else "number" if value_type is int else "text")
    spec = Spec("attribute", studio, value_type, tuple(legacy), choices)
    return SCALARS[value_type](display_name=label, help=help, default=default, scope=scope, blma=spec)


def text(label, help="", scope=Scope.content):  # pylint: disable=redefined-builtin
    """A bilingual text: <name><en>..</en><fr>..</fr></name>."""
    return Dict(display_name=label, help=help, default=bilingual(), scope=scope, blma=Spec("text", "pair"))


def html(label, help="", scope=Scope.content):  # pylint: disable=redefined-builtin
    """A bilingual HTML text (CDATA in OLX), sanitized whenever it is saved or parsed."""
    return Dict(display_name=label, help=help, default=bilingual(), scope=scope, blma=Spec("html", "pair-html"))


def items(label, codec, help="", scope=Scope.content):  # pylint: disable=redefined-builtin
    """A list whose OLX and Studio text the codec defines."""
    return List(display_name=label, help=help, default=[], scope=scope, blma=Spec("items", codec.studio, codec=codec))


def specs(cls):
    """(name, field, spec) of a block class's declared fields, in declaration order."""
    found = [(name, f, f.runtime_options["blma"]) for name, f in cls.fields.items()
             if isinstance(getattr(f, "runtime_options", None), dict) and "blma" in f.runtime_options]
    return sorted(found, key=lambda item: item[2].order)


class Codec:
    """How an `items` field reads and writes. `container` holds the items (None: they are the
    block's own children, named `item`)."""

    studio = "lines"
    container = None
    item = None

    def parse(self, nodes):
        """The field's value from its item elements."""
        raise NotImplementedError

    def write(self, parent, value):
        """Append the item elements of `value` to parent (the container, or the block's element)."""
        raise NotImplementedError

    def to_studio(self, value):
        """What the Studio row shows."""
        raise NotImplementedError

    def from_studio(self, raw):
        """The value from what the Studio row sends; ValueError or OlxError when it is wrong."""
        raise NotImplementedError


def phase_choices(block):  # pylint: disable=unused-argument  # a choices function gets the block
    """The course's phases, for the phase select of any block that belongs to one."""
    return [(kind, PHASE_KIND_LABELS[kind]) for kind in PHASE_KINDS]
