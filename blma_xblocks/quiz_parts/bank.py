"""The quiz's question bank as OLX: <question> elements, English and French inside each.

Stored in the block as plain dicts (picklable, JSON); the Studio row is the same OLX as text.
"""
from lxml import etree

from ..core.text import LANGUAGES, bilingual
from ..declare import Codec
from ..olx import (check_attributes, elements, int_attribute, parse_string, read_bilingual, tag_of,
                   unknown_element, write_bilingual)


class Questions(Codec):
    """The bank: <question> elements directly inside <blma_quiz>."""

    studio, container, item = "lines", None, "question"

    def parse(self, nodes):
        return parse_questions(nodes)

    def write(self, parent, value):
        for data in value:
            parent.append(question_node(data))

    def to_studio(self, value):
        return questions_olx(value)

    def from_studio(self, raw):
        if not isinstance(raw, str):
            raise ValueError(raw)
        return parse_questions(elements(parse_string(f"<questions>{raw}</questions>")))


QUESTION_ATTRIBUTES = ("id", "type", "points", "partial_credit", "module")


def parse_questions(nodes):
    """Questions from <question> elements (stored as plain dicts in the block)."""
    questions = []
    for node in nodes:
        if tag_of(node) != "question":
            raise unknown_element(node, "questions")
        check_attributes(node, QUESTION_ATTRIBUTES)
        data = {"id": (node.get("id") or "").strip(), "kind": (node.get("type") or "").strip(),
                "points": int_attribute(node, "points", 1),
                "partial_credit": (node.get("partial_credit") or "false").strip().lower() == "true",
                "module": (node.get("module") or "").strip(), "stem": bilingual(), "feedback": {}, "options": []}
        for child in elements(node):
            tag = tag_of(child)
            if tag == "stem":
                data["stem"] = read_bilingual(child)
            elif tag == "feedback":
                data["feedback"] = read_bilingual(child)
            elif tag == "option":
                data["options"].append(parse_option(child))
            else:
                raise unknown_element(child, "question")
        questions.append(data)
    return questions


def parse_option(node):
    check_attributes(node, ("id", "correct"))
    option = {"id": (node.get("id") or "").strip(), "correct": (node.get("correct") or "").lower() == "true",
              "text": bilingual(), "feedback": {}, "match": {}}
    for child in elements(node):
        tag = tag_of(child)
        if tag in ("text", "feedback", "match"):
            option[tag] = read_bilingual(child)
        else:
            raise unknown_element(child, "option")
    return option


def question_node(data):
    node = etree.Element("question", id=data.get("id", ""), type=data.get("kind", ""),
                         points=str(data.get("points", 1)))
    if data.get("partial_credit"):
        node.set("partial_credit", "true")
    if data.get("module"):
        node.set("module", data["module"])
    write_bilingual(node, "stem", data.get("stem"))
    for option in data.get("options") or []:
        child = etree.SubElement(node, "option", id=option.get("id", ""))
        if option.get("correct"):
            child.set("correct", "true")
        write_bilingual(child, "text", option.get("text"))
        for extra in ("feedback", "match"):
            if any((option.get(extra) or {}).get(lang) for lang in LANGUAGES):
                write_bilingual(child, extra, option.get(extra))
    if any((data.get("feedback") or {}).get(lang) for lang in LANGUAGES):
        write_bilingual(node, "feedback", data.get("feedback"))
    return node


def questions_olx(questions):
    return "\n".join(etree.tostring(question_node(d), encoding="unicode", pretty_print=True) for d in questions)
