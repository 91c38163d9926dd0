"""Latency of `vbtool serve`'s live preview: from a submitted edit to the page images.

Usage: python bench/serve_preview.py [-n 5] [EXAMPLE.yaml ...]

Runs the same PreviewWorker the server runs (LibreOffice profile kept between
conversions, warmed up once first), submits N successive edits of each document
one after the other and prints the median and worst time per document.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from vbtool.serve.app import _render
from vbtool.serve.preview import Converter, PreviewWorker
from vbtool.skeleton import skeleton

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=5)
    ap.add_argument("files", nargs="*", type=Path)
    args = ap.parse_args()
    files = args.files or sorted((ROOT / "drafts" / "examples").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "p").mkdir()
        start = time.perf_counter()
        worker = PreviewWorker(work / "p", Converter(work), _render, warm_text=skeleton("ke_hoach", "nha_nuoc"))
        first = worker.wait(worker.submit(skeleton("bao_cao", "dang")), 120)
        print(f"khởi động (hồ sơ LibreOffice mới + văn bản đầu tiên): {time.perf_counter() - start:.2f} s")
        assert first.ok, first.error
        for f in files:
            text = f.read_text(encoding="utf-8")
            times, pages = [], 0
            for i in range(args.n):
                t0 = time.perf_counter()
                res = worker.wait(worker.submit(text + f"\n# sửa lần {i}\n"), 120)
                times.append(time.perf_counter() - t0)
                assert res.ok, res.error
                pages = len(res.pages)
            print(f"{f.name}: {pages} trang, trung vị {statistics.median(times):.2f} s, chậm nhất {max(times):.2f} s")
        worker.stop()


if __name__ == "__main__":
    main()
