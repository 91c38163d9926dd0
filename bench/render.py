"""Benchmark: whole-process latency of one `vbtool` command, next to a bare Python.

    python bench/render.py [--runs 20] [--file drafts/examples/001-kh-ubnd-nq27.yaml]

Each command is started RUNS times as a new process (what a clerk waits for:
interpreter start-up, imports, work, exit) and timed from the outside; the
commands are interleaved, so a burst of load on the machine hits all of them
alike. Prints min and median of the wall time per command, the CPU time
(user + system) of the process, which a busy machine disturbs less, and the
load average before and after.

Bytecode: an installed vbtool has its .pyc files (pip compiles them), so by
default the commands run with vbtool compiled once beforehand into a private
cache (PYTHONPYCACHEPREFIX, nothing written into the checkout), even where
PYTHONDONTWRITEBYTECODE is set; `--no-pyc` measures compiling vbtool's
sources in every process instead. `python -c pass` is the floor no command can beat; `import` lines show
which heavy libraries each command loaded (none of python-docx, docxtpl,
jsonschema should be on the render path).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "drafts" / "examples" / "001-kh-ubnd-nq27.yaml"
HEAVY = ("docx", "docxtpl", "jsonschema", "jinja2", "lxml")


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def commands(example: Path, out: Path) -> dict[str, list[str]]:
    py = sys.executable
    return {
        "python -c pass": [py, "-c", "pass"],
        "vbtool --help": [py, "-m", "vbtool.cli", "--help"],
        "vbtool validate": [py, "-m", "vbtool.cli", "validate", str(example)],
        "vbtool render": [py, "-m", "vbtool.cli", "render", str(example), "-o", str(out)],
    }


def heavy_imports(cmd: list[str], env: dict) -> list[str]:
    """Which heavy libraries the command imports (from `python -X importtime`)."""
    r = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, cwd=ROOT, env=env)
    found = set()
    for line in r.stderr.splitlines():
        name = line.rsplit("|", 1)[-1].strip()
        if name in HEAVY:
            found.add(name)
    return sorted(found)


def bytecode_env(prefix: Path, compiled: bool) -> dict:
    """The environment of the measured processes: vbtool's .pyc in a private cache (or none)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PYTHONPYCACHEPREFIX": str(prefix)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if compiled:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "vbtool")], check=True, env=env)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=20, help="số lần chạy mỗi lệnh (mặc định 20)")
    ap.add_argument("--file", type=Path, default=EXAMPLE, help="tệp YAML để validate/render")
    ap.add_argument("--no-pyc", action="store_true", help="không dùng .pyc của vbtool (dịch lại mỗi lần chạy)")
    args = ap.parse_args()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        env = bytecode_env(Path(tmp) / "pyc", compiled=not args.no_pyc)
        cmds = commands(args.file.resolve(), Path(tmp) / "mot.docx")
        times: dict[str, list[float]] = {name: [] for name in cmds}
        cpu: dict[str, list[float]] = {name: [] for name in cmds}
        for name, cmd in cmds.items():          # warm the disk cache and the .pyc files once
            r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
            if r.returncode != 0:
                sys.exit(f"{name} thất bại ({r.returncode}):\n{r.stderr}")
        for _ in range(args.runs):
            for name, cmd in cmds.items():
                r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
                t0 = time.perf_counter()
                subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env)
                times[name].append(time.perf_counter() - t0)
                r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
        heavy = {name: heavy_imports(cmd, env) for name, cmd in cmds.items() if name != "python -c pass"}
    load_after = load_average()
    print(f"máy: {os.cpu_count()} lõi; tải trung bình (1, 5, 15 phút) trước: {load_before}; sau: {load_after}")
    print(f"{args.runs} lần mỗi lệnh, cả tiến trình (giây); .pyc của vbtool: "
          f"{'không (dịch lại mỗi lần)' if args.no_pyc else 'có (như khi cài bằng pip)'}")
    floor = min(times["python -c pass"])
    for name, ts in times.items():
        extra = f"  thư viện nặng: {', '.join(heavy[name]) or 'không'}" if name in heavy else ""
        print(f"{name:18} min {min(ts):.3f}  trung vị {statistics.median(ts):.3f}  "
              f"({min(ts) / floor:.1f}x python -c pass)  CPU min {min(cpu[name]):.3f} "
              f"trung vị {statistics.median(cpu[name]):.3f}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
