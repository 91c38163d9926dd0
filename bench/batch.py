"""Benchmark: one document rendered for N units, against a plain docxtpl loop.

    python bench/batch.py [-n 3321] [-j 2] [--sample 100]
    python bench/batch.py --ca-nuoc [-j 2]

Renders the seed-001 example (a 7-page Kế hoạch of UBND tỉnh) for N synthetic
communes with `vbtool.batch` (the code path of `vbtool batch`), and, in the
same run, the baseline the issue describes: a loop creating a new
`DocxTemplate` per unit (template = the same rendered document with the
unit's name as a Jinja tag), rendering and saving it, on a sample of units
with the same number of processes. Prints docs/s for both, their ratio, peak
RSS, and the whole-process time of `vbtool render` for one document.

With --ca-nuoc: the real command line end to end on today's national registry
(`vbtool don-vi tao --ca-nuoc`, 34 provinces, 3,321 UBND xã, phường, đặc khu
from the vietnam-provinces package): the time to load that registry, then
`vbtool batch … --danh-muc … --nhom "UBND các xã, phường, đặc khu"` as a
subprocess, registry loading and file writing included.
"""
from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vbtool import batch  # noqa: E402
from vbtool.loader import load_file  # noqa: E402
from vbtool.registry import Registry, Unit  # noqa: E402

EXAMPLE = ROOT / "drafts" / "examples" / "001-kh-ubnd-nq27.yaml"


def synthetic_registry(n: int) -> Registry:
    units = {}
    for i in range(1, n + 1):
        uid = f"xa-{i:04d}"
        units[uid] = Unit(id=uid, ten=f"Ủy ban nhân dân xã Số {i}", ten_dau=f"Ủy ban nhân dân\nxã Số {i}",
                          ten_goi=f"UBND xã Số {i}", cap_tren="UBND tỉnh Bình Thuận", ky_hieu="UBND",
                          dia_danh=f"Xã Số {i}", the_thuc="nha_nuoc", nhom=["ubnd-cap-xa"], cap="xa",
                          ky={"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": f"Nguyễn Văn {i}"},
                          luu=["VT"])
    return Registry(units, {"ubnd-cap-xa": ["UBND các xã, phường"]}, [])


_TPL_PATH = None
_OUT = None


def _baseline_one(i: int) -> None:
    from docxtpl import DocxTemplate
    tpl = DocxTemplate(_TPL_PATH)
    tpl.render({"ten_dv": f"UBND XÃ SỐ {i}"}, autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)


def baseline(template: Path, sample: int, jobs: int) -> float:
    global _TPL_PATH
    _TPL_PATH = str(template)
    start = time.perf_counter()
    if jobs <= 1:
        for i in range(sample):
            _baseline_one(i)
    else:
        with mp.get_context("fork").Pool(jobs) as pool:
            pool.map(_baseline_one, range(sample), chunksize=max(1, sample // (jobs * 4)))
    return sample / (time.perf_counter() - start)


def make_template(docx_bytes: bytes, name: str, out: Path) -> None:
    """The rendered document turned into a docxtpl template: unit name → {{ ten_dv }}."""
    zin = zipfile.ZipFile(io.BytesIO(docx_bytes))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = data.decode("utf-8").replace(name, "{{ ten_dv }}", 1).encode("utf-8")
            zout.writestr(item, data)


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024


def national(jobs: int) -> int:
    """The whole CLI path over the national registry; prints load time and docs/s."""
    from vbtool import registry
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        reg_path = tmp / "ca-nuoc.yaml"
        vb = [sys.executable, "-m", "vbtool.cli"]
        t0 = time.perf_counter()
        subprocess.run(vb + ["don-vi", "tao", "--ca-nuoc", "-o", str(reg_path)], check=True, capture_output=True)
        made = time.perf_counter() - t0
        loads, cpu = [], []
        for _ in range(5):
            t0, c0 = time.perf_counter(), time.process_time()
            reg = registry.load(reg_path)
            loads.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        group = "UBND các xã, phường, đặc khu"
        n = len(reg.members(reg.group_by_phrase(group)))
        t0 = time.perf_counter()
        r = subprocess.run(vb + ["batch", str(EXAMPLE), "--danh-muc", str(reg_path), "--nhom", group, "--ten-tep", "id",
                                 "-o", str(tmp / "out"), "-j", str(jobs)], capture_output=True, text=True)
        whole = time.perf_counter() - t0
        files = len(list((tmp / "out").glob("*.docx")))
    print(f"danh mục cả nước: {len(reg.units)} đơn vị, nhóm \"{group}\": {n} đơn vị; tạo danh mục {made:.2f} s")
    print(f"nạp danh mục (tốt nhất/trung vị của 5 lần): {min(loads):.3f} s / {sorted(loads)[2]:.3f} s"
          f" (thời gian CPU {min(cpu):.3f} s / {sorted(cpu)[2]:.3f} s)")
    print(f"vbtool batch (cả tiến trình, -j {jobs}): {files} tệp trong {whole:.1f} s = {files / whole:.0f} văn bản/giây")
    print(r.stdout.strip())
    return 0 if r.returncode == 0 and files == n else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=3321, help="số đơn vị (mặc định 3.321 xã, phường)")
    ap.add_argument("-j", type=int, default=2, help="số tiến trình")
    ap.add_argument("--sample", type=int, default=100, help="số văn bản của vòng lặp docxtpl đối chứng")
    ap.add_argument("--ca-nuoc", action="store_true", help="danh mục cả nước thật, chạy qua dòng lệnh vbtool")
    args = ap.parse_args()
    if args.ca_nuoc:
        return national(args.j)

    reg = synthetic_registry(args.n)
    base = load_file(EXAMPLE)
    ids = list(reg.units)
    batch.check_base(base, reg, ids)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        job = batch.Job(base, reg, {}, tmp / "out", "id")
        start = time.perf_counter()
        results = batch.run(job, ids, args.j)
        elapsed = time.perf_counter() - start
        errors = [r for r in results if r[2]]
        ours = (len(ids) - len(errors)) / elapsed
        first, _ = batch.render_unit(job, reg.units[ids[0]])
        make_template(first, "UBND XÃ SỐ 1", tmp / "tpl.docx")
        base_rate = baseline(tmp / "tpl.docx", min(args.sample, args.n), args.j)
        size = sum(f.stat().st_size for f in (tmp / "out").iterdir()) / len(ids) / 1024
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "vbtool.cli", "render", str(EXAMPLE), "-o", str(tmp / "one.docx")],
                       check=True, capture_output=True, cwd=ROOT)
        one = time.perf_counter() - t0
    print(f"đơn vị: {len(ids)}  tiến trình: {args.j}  lỗi: {len(errors)}  cỡ tệp TB: {size:.0f} KB")
    print(f"vbtool batch:           {ours:8.1f} văn bản/giây  ({elapsed:.2f} s)")
    print(f"vòng lặp DocxTemplate:  {base_rate:8.1f} văn bản/giây  (mẫu {min(args.sample, args.n)} văn bản)")
    print(f"tỉ lệ: {ours / base_rate:.1f}x")
    print(f"RSS đỉnh: {peak_rss_mb():.0f} MB")
    print(f"vbtool render một văn bản (cả tiến trình): {one:.2f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
