"""Every example renders to the same parts, byte for byte, as before the restructuring.

``fixtures/golden-parts.json`` holds the SHA-256 of each uncompressed part of each
example's .docx, rendered by commit 9880356 (before data moved into the package and
before any refactoring). It is a regression lock for refactors: a change meant to alter
output must regenerate it on purpose, with the reason in the commit message.
Comparing parts rather than the zip keeps the lock valid if only compression changes.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest

from conftest import EXAMPLES, FIXTURES
from vbtool.document import load_document, to_docx

GOLDEN = json.loads((FIXTURES / "golden-parts.json").read_text(encoding="utf-8"))


def test_every_example_is_locked():
    assert sorted(GOLDEN) == sorted(p.stem for p in EXAMPLES.glob("*.yaml"))


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_example_parts_unchanged(name):
    data = to_docx(load_document(EXAMPLES / f"{name}.yaml"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        got = {n: hashlib.sha256(z.read(n)).hexdigest() for n in sorted(z.namelist())}
    assert sorted(got) == sorted(GOLDEN[name])
    changed = [n for n in got if got[n] != GOLDEN[name][n]]
    assert changed == []
