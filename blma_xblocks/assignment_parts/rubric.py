"""The rubric as OLX: <rubric><criterion id weight><name/><level points><name/><descriptor/></level>..."""
from lxml import etree

from ..declare import Codec
from ..formats import parse_criterion
from ..olx import elements, parse_string, write_bilingual


class Rubric(Codec):
    """Criteria x levels, English and French; in Studio, the same OLX as text."""

    container, item = "rubric", "criterion"

    def parse(self, nodes):
        criteria = []
        for node in nodes:
            criterion = parse_criterion(node)
            criterion.pop("line", None)
            criteria.append(criterion)
        return criteria

    def write(self, parent, value):
        for criterion in value:
            node = etree.SubElement(parent, "criterion", id=criterion.get("id", ""),
                                    weight=str(criterion.get("weight", 0)))
            write_bilingual(node, "name", criterion.get("name"))
            for level in criterion.get("levels") or []:
                child = etree.SubElement(node, "level", points=str(level.get("points", 0)))
                write_bilingual(child, "name", level.get("name"))
                write_bilingual(child, "descriptor", level.get("descriptor"))

    def to_studio(self, value):
        root = etree.Element("rubric")
        self.write(root, value)
        return "\n".join(etree.tostring(node, encoding="unicode", pretty_print=True) for node in root)

    def from_studio(self, raw):
        if not isinstance(raw, str):
            raise ValueError(raw)
        return self.parse(elements(parse_string(f"<rubric>{raw}</rubric>")))
