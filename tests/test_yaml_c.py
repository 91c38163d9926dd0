"""loader parses with libyaml when available, and must give exactly what PyYAML's
pure-Python parser gave before: the same data, the same line/column of every path,
and a refusal wherever the Python parser refuses (its message is then PyYAML's, since
a refused file is parsed again in Python)."""
from __future__ import annotations

import pytest
import yaml

from conftest import EXAMPLES, ROOT
from samples import PARTY, STATE
from vbtool import DATA, loader
from vbtool.skeleton import skeleton

SNIPPETS = [
    "a: 1\nb: [1, 2, {c: d}]\n",
    "a: >\n  gấp\n  dòng\n\n  đoạn mới\nb: |\n  giữ\n   nguyên\n",
    "a: 'nháy ''đơn'''\nb: \"nháy \\\"kép\\\" \\u00e0 \\t\"\n",
    "a: 2023-10-05\nb: 1_000\nc: 0x1f\nd: 1e3\ne: .inf\nf: ~\ng: yes\nh: No\ni: 012\n",
    "a:\n\t- tab\n",
    "a: b: c\n",
    "a: [1, 2\n",
    "a: {b: 1\n",
    "- a\n- b\n  - c\n",
    "a: &x 1\nb: *x\n",
    "a: *y\n",
    "<<: {a: 1}\n",
    "? [a]\n: b\n",
    "a: 1\na: 2\n",
    "a: \"\\x\"\n",
    "a: 'không đóng\n",
    "a: \x0b\n",
    "a: b\x85c\n",
    "a: \u200bẩn\n",
    "%YAML 1.1\n---\na: 1\n",
    "%YAML 1.2\n---\na: 1\n",
    "--- \na: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "",
    "# chỉ chú thích\n",
    "a: x # chú thích\nb: 'x # không phải'\n",
    "a:   \n  - 1\n  -   2\n",
    "a: -1\nb: - 1\n",
    "a: !!str 5\nb: !!int '7'\n",
    "a: !tag x\n",
    "a: :b\nc: d:e\nf: [g:h]\n",
    "  a: 1\n b: 2\n",
    "a:\n  b: 1\n c: 2\n",
    "dòng một\ndòng hai: x\n",
    "a: |-\n  x\n\n\nb: |+\n  y\n\n",
    "a: \"dòng\n  tiếp\"\n",
    "a: {b: [c, {d: e}], f: \"g\"}\n",
    "\ufeffa: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: \"\\U0001F600 \\N \\_ \\L \\P\"\n",
    "a: @b\n",
    "a: `b\n",
    "a: 'x'y\n",
    "-\n-\n- a\n",
    "[a, b]: c\n",
]


def _parse(text: str, loader_cls):
    try:
        root = yaml.compose(text, Loader=loader_cls)
    except yaml.YAMLError:
        return "refused"
    if root is None:
        return None
    src = loader.Source("x", None)
    problems = []
    try:
        data = loader._convert(root, (), src, problems, [0], set())
    except yaml.YAMLError:
        return "refused"      # loader parses again in Python: same error as before
    return data, src.positions, [(p.line, p.col, p.message) for p in problems]


def corpus() -> list[tuple[str, str]]:
    files = [*EXAMPLES.glob("*.yaml"), *(ROOT / "drafts" / "don-vi").glob("*.yaml"), *(DATA / "profiles").glob("*.yaml")]
    out = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(files)]
    out += [("STATE", STATE), ("PARTY", PARTY)]
    out += [(f"skeleton-{a}-{b}", skeleton(a, b)) for a in ("ke_hoach", "bao_cao") for b in ("nha_nuoc", "dang")]
    out += [(f"snippet-{i}", s) for i, s in enumerate(SNIPPETS)]
    return out


def test_libyaml_is_used():
    assert loader._CLoader is not None


@pytest.mark.parametrize("name,text", corpus(), ids=lambda x: x if len(x) < 40 else "")
def test_libyaml_agrees_with_pure_python(name, text):
    pure = _parse(text, loader._Loader)
    c = _parse(text, loader._CLoader)
    if pure == "refused":
        assert c == "refused", f"{name}: libyaml accepts what PyYAML refused"
    else:
        assert c == pure or c == "refused"   # refused by libyaml: the Python parser is used, same result
        if not name.startswith("snippet"):
            assert c == pure, f"{name}: libyaml must parse our real files itself"


def test_refused_file_keeps_pythons_message(tmp_path):
    p = tmp_path / "x.yaml"
    p.write_text("a: 1\nb: [1, 2\n", encoding="utf-8")
    with pytest.raises(loader.InputError) as e:
        loader.load_file(p)
    (problem,) = e.value.problems
    assert problem.message == "lỗi cú pháp YAML: thiếu dấu \"]\" đóng danh sách hoặc dấu phẩy"
    assert (problem.line, problem.col) == (3, 1)
