"""XML namespaces of the WordprocessingML package parts, written once."""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
VML_NS = "urn:schemas-microsoft-com:vml"


def w(tag: str) -> str:
    """The Clark name of a w: element or attribute ("{…/main}p"), as lxml spells it."""
    return f"{{{W_NS}}}{tag}"


def local(el) -> str:
    """An element's tag without its namespace ("" for comments and processing instructions)."""
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
