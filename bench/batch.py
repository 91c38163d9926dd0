"""Benchmark: `vbtool batch` through the real CLI, against the zip floor and a docxtpl loop, in one run.

    python bench/batch.py [-n 3321] [-j 1] [--sample 100] [--rounds 1] [--no-memory]
    python bench/batch.py --ca-nuoc [-j 2]

Everything is measured side by side in the same run, because timings on a
shared machine drift with its load (printed next to the figures):

* **vbtool batch**: one subprocess `python -m vbtool.cli batch EXAMPLE
  --don-vi REGISTRY -o DIR -j J --ten-tep id`, timed from the outside, so it
  includes start-up, loading and checking the registry (a YAML naming a CSV of
  N synthetic communes, written by this script) and writing every file;
* **zip floor**: the least any tool must do to write the same N files: the
  first unit's .docx re-zipped per unit with only document.xml changed (the
  unit's number put in), every part deflated at level 6, each file written to
  a temporary name and renamed; in this process, so without start-up;
* **docxtpl baseline**: the plain loop of the issue: a new `DocxTemplate` per
  unit (the template is the first unit's document with the unit's number as a
  Jinja tag), rendered and saved to a file, on a sample of units; the script
  checks that the baseline documents really differ per unit.

Wall time and CPU time (user + system) are both printed: on a busy machine the
CPU time is the steadier of the two. Then, in this process, the memory growth of `vbtool.batch.run` per 1,000 units
(resident set size after a warm-up and after the measured units), and the
time to load the synthetic registry. Example: seed-001 (a 7-page Kế hoạch of
UBND tỉnh).

With --ca-nuoc: the real command line end to end on today's national registry
(`vbtool don-vi tao --ca-nuoc`, 34 provinces, 3,321 UBND xã, phường, đặc khu
from the vietnam-provinces package): the time to load that registry, then
`vbtool batch … --danh-muc … --nhom "UBND các xã, phường, đặc khu"` as a
subprocess, registry loading and file writing included.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "drafts" / "examples" / "001-kh-ubnd-nq27.yaml"
# the unit's number appears in these texts of the rendered document (header, place and date line, signer)
_UNIT_NUMBER = re.compile(r"((?:Số|SỐ|Văn) )1(?!\d)")


def write_registry(n: int, folder: Path) -> Path:
    """A registry of N communes: a YAML naming a CSV (the form a national registry takes)."""
    import csv
    cols = ["id", "ten", "ten_dau", "ten_goi", "cap_tren", "ky_hieu", "dia_danh", "the_thuc", "nhom", "cap",
            "ky.thay_mat", "ky.chuc_vu", "ky.ho_ten", "luu"]
    with open(folder / "xa.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for i in range(1, n + 1):
            w.writerow([f"xa-{i:04d}", f"Ủy ban nhân dân xã Số {i}", f"Ủy ban nhân dân\\nxã Số {i}",
                        f"UBND xã Số {i}", "UBND tỉnh Bình Thuận", "UBND", f"Xã Số {i}", "nha_nuoc",
                        "ubnd-cap-xa", "xa", "Ủy ban nhân dân", "Chủ tịch", f"Nguyễn Văn {i}", "VT"])
    reg = folder / "don-vi.yaml"
    reg.write_text("ten: Tỉnh thử\nnhom:\n  - id: ubnd-cap-xa\n    cum_tu: [\"UBND các xã, phường\"]\n"
                   "don_vi_csv: [xa.csv]\n", encoding="utf-8")
    return reg


def synthetic_registry(n: int):
    """The same N communes as a Registry object (bench/pdf.py renders them in process)."""
    from vbtool.registry import Registry, Unit
    units = {}
    for i in range(1, n + 1):
        uid = f"xa-{i:04d}"
        units[uid] = Unit(id=uid, ten=f"Ủy ban nhân dân xã Số {i}", ten_dau=f"Ủy ban nhân dân\nxã Số {i}",
                          ten_goi=f"UBND xã Số {i}", cap_tren="UBND tỉnh Bình Thuận", ky_hieu="UBND",
                          dia_danh=f"Xã Số {i}", the_thuc="nha_nuoc", nhom=["ubnd-cap-xa"], cap="xa",
                          ky={"thay_mat": "Ủy ban nhân dân", "chuc_vu": "Chủ tịch", "ho_ten": f"Nguyễn Văn {i}"},
                          luu=["VT"])
    return Registry(units, {"ubnd-cap-xa": ["UBND các xã, phường"]}, [])


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bytecode_env(prefix: Path) -> dict:
    """vbtool compiled beforehand into a private .pyc cache, as an installed vbtool is
    (even where PYTHONDONTWRITEBYTECODE is set; nothing is written into the checkout).
    The cache also serves the libraries: main() makes a small run first to fill it."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "vbtool")], check=True, env=env)
    return env


def _cpu(who) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def run_cli(reg: Path, out: Path, jobs: int, env: dict) -> tuple[float, float, int]:
    """Wall time and CPU time (user + system, workers included) of one `vbtool batch` process; peak RSS in KB."""
    c0 = _cpu(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "vbtool.cli", "batch", str(EXAMPLE), "--don-vi", str(reg), "-o", str(out),
           "-j", str(jobs), "--ten-tep", "id"]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"vbtool batch thất bại ({r.returncode}):\n{r.stderr}")
    return elapsed, _cpu(resource.RUSAGE_CHILDREN) - c0, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def zip_floor(first_docx: Path, n: int, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds to write N files: the template re-zipped with only document.xml changed per unit."""
    with zipfile.ZipFile(first_docx) as z:
        parts = [(info.filename, z.read(info)) for info in z.infolist()]
    doc = dict(parts)["word/document.xml"].decode("utf-8")
    out.mkdir()
    c0 = _cpu(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    for i in range(1, n + 1):
        xml = _UNIT_NUMBER.sub(rf"\g<1>{i}", doc).encode("utf-8")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, data in parts:
                z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)),
                           xml if name == "word/document.xml" else data,
                           compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
        _write_atomic(out / f"xa-{i:04d}.docx", buf.getvalue())
    return time.perf_counter() - t0, _cpu(resource.RUSAGE_SELF) - c0


def make_baseline_template(first_docx: Path, out: Path) -> None:
    """The first unit's document as a docxtpl template: the unit's number → {{ so }}."""
    with zipfile.ZipFile(first_docx) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                text, count = _UNIT_NUMBER.subn(r"\g<1>{{ so }}", data.decode("utf-8"))
                if count < 3:
                    sys.exit(f"mẫu đối chứng: chỉ thay được {count} chỗ số hiệu đơn vị")
                data = text.encode("utf-8")
            zout.writestr(item, data)


def docxtpl_baseline(template: Path, sample: int, out: Path) -> float:
    """Seconds for SAMPLE documents: a new DocxTemplate per unit, rendered, saved to a file."""
    from docxtpl import DocxTemplate
    out.mkdir()
    t0 = time.perf_counter()
    for i in range(1, sample + 1):
        tpl = DocxTemplate(str(template))
        tpl.render({"so": i}, autoescape=True)
        tpl.save(str(out / f"xa-{i:04d}.docx"))
    elapsed = time.perf_counter() - t0
    # an honest baseline: its documents differ per unit, as ours do
    texts = []
    for i in (1, min(2, sample)):
        with zipfile.ZipFile(out / f"xa-{i:04d}.docx") as z:
            texts.append(z.read("word/document.xml").decode("utf-8"))
    if "XÃ SỐ 1<" not in texts[0] or (sample > 1 and ("XÃ SỐ 2<" not in texts[1] or texts[0] == texts[1])):
        sys.exit("mẫu đối chứng: văn bản của các đơn vị không khác nhau")
    return elapsed


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def memory_growth(reg_path: Path, out: Path, limit: int) -> tuple[float, int]:
    """RSS growth in MB per 1,000 units of `batch.run` in this process, after a warm-up."""
    import gc
    from vbtool import batch, registry
    from vbtool.loader import load_file
    reg = registry.load(reg_path)
    ids = list(reg.units)
    base = load_file(EXAMPLE)
    batch.check_base(base, reg, ids)
    job = batch.Job(base, reg, {}, out, "id")
    warm = max(1, min(300, len(ids) // 4))
    measured = ids[warm:warm + limit]
    batch.run(job, ids[:warm], 1)
    gc.collect()
    before = _rss_kb()
    batch.run(job, measured, 1)
    gc.collect()
    after = _rss_kb()
    return (after - before) / 1024 / max(1, len(measured)) * 1000, len(measured)


def registry_load_time(reg_path: Path) -> float:
    from vbtool import registry
    t0 = time.perf_counter()
    registry.load(reg_path)
    return time.perf_counter() - t0


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
    ap.add_argument("-j", type=int, default=1, help="số tiến trình của vbtool batch (mặc định 1)")
    ap.add_argument("--sample", type=int, default=100, help="số văn bản của vòng lặp docxtpl đối chứng")
    ap.add_argument("--rounds", type=int, default=1, help="số lượt đo (lấy lượt nhanh nhất của mỗi cách)")
    ap.add_argument("--no-memory", action="store_true", help="không đo bộ nhớ tăng theo số đơn vị")
    ap.add_argument("--ca-nuoc", action="store_true", help="danh mục cả nước thật, chạy qua dòng lệnh vbtool")
    args = ap.parse_args()
    if args.ca_nuoc:
        return national(args.j)
    n, sample = args.n, min(args.sample, args.n)

    load_before = load_average()
    cli, floor, base, rss = [], [], [], 0
    cli_cpu, floor_cpu = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        reg = write_registry(n, tmp)
        env = bytecode_env(tmp / "pyc")
        (tmp / "warm").mkdir()            # one small run first: every module it imports gets its .pyc
        run_cli(write_registry(2, tmp / "warm"), tmp / "warm" / "out", args.j, env)
        for k in range(args.rounds):
            out = tmp / f"cli-{k}"
            elapsed, cpu, rss = run_cli(reg, out, args.j, env)
            cli.append(elapsed)
            cli_cpu.append(cpu)
            files = sorted(out.glob("*.docx"))
            if len(files) != n:
                sys.exit(f"vbtool batch ghi {len(files)} tệp, cần {n}")
            size_kb = sum(f.stat().st_size for f in files) / n / 1024
            first = out / "xa-0001.docx"
            wall, cpu = zip_floor(first, n, tmp / f"floor-{k}")
            floor.append(wall)
            floor_cpu.append(cpu)
            floor_kb = sum(f.stat().st_size for f in (tmp / f"floor-{k}").iterdir()) / n / 1024
            make_baseline_template(first, tmp / "tpl.docx")
            base.append(docxtpl_baseline(tmp / "tpl.docx", sample, tmp / f"docxtpl-{k}"))
        reg_load = registry_load_time(reg)
        growth = None if args.no_memory else memory_growth(reg, tmp / "mem", 2000)
    load_after = load_average()

    t_cli, t_floor, t_base = min(cli), min(floor), min(base)
    r_cli, r_floor, r_base = n / t_cli, n / t_floor, sample / t_base
    print(f"máy: {os.cpu_count()} lõi; tải trung bình (1, 5, 15 phút) trước: {load_before}; sau: {load_after}")
    print(f"đơn vị: {n}  tiến trình vbtool: {args.j}  lượt đo: {args.rounds}  "
          f"cỡ tệp TB: vbtool {size_kb:.1f} KB, sàn {floor_kb:.1f} KB")
    print(f"vbtool batch (CLI, cả khởi động):  {r_cli:8.1f} văn bản/giây  ({t_cli:.2f} s; CPU {min(cli_cpu):.2f} s)")
    print(f"sàn zip (nén lại, mức 6):          {r_floor:8.1f} văn bản/giây  ({t_floor:.2f} s; CPU {min(floor_cpu):.2f} s)")
    print(f"vòng lặp DocxTemplate:             {r_base:8.1f} văn bản/giây  (mẫu {sample} văn bản, {t_base:.2f} s)")
    print(f"tỉ lệ thời gian vbtool/sàn: {t_cli / t_floor:.2f}x (CPU: {min(cli_cpu) / min(floor_cpu):.2f}x)   "
          f"tỉ lệ tốc độ vbtool/DocxTemplate: {r_cli / r_base:.1f}x")
    print(f"đọc danh mục {n} dòng CSV (trong tiến trình): {reg_load:.2f} s")
    print(f"RSS đỉnh của vbtool batch: {rss / 1024:.0f} MB")
    if growth:
        print(f"bộ nhớ tăng: {growth[0]:.2f} MB mỗi 1.000 đơn vị (đo trên {growth[1]} đơn vị sau khởi động)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
