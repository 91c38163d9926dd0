"""vbtool: draft Vietnamese administrative documents (Kế hoạch, Báo cáo) from YAML.

The package is layered so that each step can be tested on its own:

* ``loader``   reads YAML safely, keeping line/column of every node;
* ``schema``   validates the raw data against ``data/schemas/*.json`` and words the
  errors in Vietnamese;
* ``model``    turns validated data into typed objects (renderers never see YAML);
* ``profile``  loads the layout rules of a regime (NĐ 30 or HD 36) from data, strict and typed,
  and picks the one in force on a document's date;
* ``vn``       Vietnamese formatting helpers (dates, số ký hiệu, numbering);
* ``ooxml``    the OOXML layer: namespaces, lengths, run/paragraph properties,
  builders (strings, escaped) and the effective-formatting reader;
* ``render``   lays a model out with a profile into OOXML;
* ``package``  writes the .docx from the template package, atomically;
* ``inline``   the light markup inside text: **bold**, *italic*, [^footnote];
* ``expr``     `{{ … }}` expressions (figures, number words, unit fields);
* ``numwords`` Vietnamese number words and number formats;
* ``document`` the pipeline in one call: file → Document → .docx bytes;
* ``registry``, ``derive``, ``batch``  units, child plans, one version per unit;
* ``report``   a Báo cáo draft from a plan (`report-from`);
* ``check``    compliance checker for any .docx (a package: landmarks, rules by area);
* ``pdf``      batch PDF conversion with LibreOffice, previews;
* ``repair``, ``importer``  text repair and import of existing documents;
* ``commands`` click commands kept apart from the domain code (check, preview);
* ``kinds``, ``parts``  document kinds defined by data (data/kinds) and their parts;
* ``attached``, ``companions``  a decision with the document it issues; drafts from a plan;
* ``cli``      the ``vbtool`` command.

Import directions and the naming note: docs/kien-truc.md.
"""

__version__ = "0.1.0"

DATA = __import__("pathlib").Path(__file__).resolve().parent / "data"
"""Profiles, schemas and the template package, shipped inside the package."""
