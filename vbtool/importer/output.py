"""The public API: Imported (YAML text with comments), import_text/docx/pdf/file, yaml_for."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


from .. import layout_table, safezip, yamlwrite
from ..loader import InputError, Problem, iter_strings
from .source import ImportFailure, Source, _nfc
from .patterns import _PHU_LUC
from .text import _drop_emphasis, read_text
from .pdf import _landscape_page, pdf_text
from .docx import read_docx
from .parser import _Parser


@dataclass
class Imported:
    """The result of an import: YAML data, the warnings (Problem), comments for the guesses."""

    data: dict
    warnings: list[Problem]
    comments: dict
    tail: list[str]
    source: str

    def placeholders(self) -> int:
        return sum(t.count("[[") for _p, _c, _k, t in iter_strings(self.data))

    def to_yaml(self, schema: str = "../../schemas/van-ban.schema.json") -> str:
        """The YAML text: schema line, a note on the source, then each top-level key (with its comments)."""
        out = [f"# yaml-language-server: $schema={schema}",
               f"# Nhập từ {Path(self.source).name} bằng vbtool import. Kiểm tra các chỗ [[…]] và các ghi chú",
               "# \"nhập:\" bên dưới, rồi chạy: vbtool validate TỆP.yaml"]
        for key, value in self.data.items():
            for c in self.comments.get(key, []):
                out += [f"# {line}" for line in _wrap(c)]
            if key == "danh_so":           # short and read as a whole: one line, as in the examples
                out.append("danh_so: [" + ", ".join(f'"{x}"' for x in value) + "]")
                continue
            out.append(yamlwrite.dump({key: value}).rstrip("\n"))
        if self.tail:
            out.append("")
            out += [f"# {line}" for t in self.tail for line in _wrap(t)]
        return _nfc("\n".join(out) + "\n")


def _wrap(text: str, width: int = 96) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    return lines + ([cur] if cur else [])


def _run(src: Source) -> Imported:
    p = _Parser(src)
    data = p.parse()
    _drop_emphasis(data)
    _literal(data)
    return Imported(data, p.warnings, p.comments, p.tail, src.name)


def _literal(data) -> None:
    """Imported text is literal: `{{ 2+2 }}` typed in Word stays `{{ 2+2 }}` (escaped
    as `\\{{`, which vbtool prints as `{{` and never evaluates), and characters a
    Word file or vbtool's loader refuse (controls, zero-width marks) are dropped."""
    from ..loader import _CONTROL
    for _path, container, key, text in list(iter_strings(data)):
        clean = _CONTROL.sub("", text)
        if "{{" in clean:
            clean = clean.replace("{{", "\\{{")     # a typed `\{{` becomes `\\{{`, printed `\{{`
        if clean != text:
            container[key] = clean


def import_text(text: str, name: str = "<chuỗi>") -> Imported:
    """Import text extracted from a PDF (like ../shared/seeds/*.txt)."""
    return _run(read_text(text, name))


def import_docx(path: str | Path) -> Imported:
    return _run(read_docx(Path(path)))


def import_pdf(path: str | Path) -> Imported:
    path = Path(path)
    src = read_text(pdf_text(path), str(path))
    if any(_PHU_LUC.match(x.text) for x in src.lines):
        src.layout_tables = layout_table.tables(pdf_text(path, layout=True))
        for grid in src.layout_tables:
            grid.landscape = _landscape_page(path, grid.page)
    return _run(src)


def import_file(path: str | Path) -> Imported:
    """Import a .docx, .pdf or .txt file, chosen by its extension."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailure(f"{path}: không tìm thấy tệp (hoặc đây là thư mục)")
    ext = path.suffix.lower()
    if ext == ".docx":
        return import_docx(path)
    if ext == ".pdf":
        return import_pdf(path)
    if ext in (".txt", ".text"):
        try:
            raw = safezip.read_file(path, 16 * 1024 * 1024)
        except safezip.ZipLimitError as exc:
            raise ImportFailure(f"{path}: {exc}") from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailure(f"{path}: tệp chữ không phải mã UTF-8 (hãy lưu lại với mã hóa UTF-8)") from None
        return _run(read_text(text, str(path)))
    if ext == ".doc":
        raise ImportFailure(f"{path}: tệp .doc (Word 97–2003) chưa đọc được; hãy lưu lại thành .docx")
    raise ImportFailure(f"{path}: chỉ nhập được tệp .docx, .pdf hoặc .txt")


def yaml_for(imported: Imported, output: Path) -> str:
    """The YAML text for `output`, with the schema path relative to its folder; validated by vbtool."""
    from ..document import load_document_text
    from ..schema import SCHEMA_DIR
    schema = os.path.relpath(SCHEMA_DIR / "van-ban.schema.json", output.resolve().parent)
    text = imported.to_yaml(schema.replace(os.sep, "/"))
    try:
        load_document_text(text, str(output))
    except InputError as exc:
        raise ImportFailure("YAML nhập ra không hợp lệ (lỗi của vbtool import, xin báo lại):\n"
                            + "\n".join(str(p) for p in exc.problems)) from None
    return text


# --------------------------------------------------------------------------- command
