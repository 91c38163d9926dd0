"""Benchmark vbtool.pdf.convert_many against one soffice call per file, in one run.

Why both in the same run: soffice timings drift with machine load and disk
cache, so the ratio is only meaningful when both are measured side by side.
The per-file baseline gets a warmed-up private profile (the first start of a
profile costs ~1 s more), so the ratio is, if anything, on the modest side.

    python bench/pdf.py -n 200 -j 2 --sample 5            # one-page documents
    python bench/pdf.py -n 200 --vbtool                   # the 7-page seed-001 plan, one per unit
    python bench/pdf.py --docx some/dir                   # use existing .docx files
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx import Document  # noqa: E402
from docx.shared import Cm, Pt  # noqa: E402

from vbtool.pdf import convert_many, find_soffice  # noqa: E402

PARAGRAPHS = [
    "Thực hiện Kế hoạch số 15-KH/TU ngày 10 tháng 01 năm 2024 của Ban Thường vụ "
    "Tỉnh ủy về việc tổ chức thực hiện nhiệm vụ chính trị năm 2024, Ủy ban nhân dân "
    "tỉnh ban hành Kế hoạch triển khai như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Quán triệt đầy đủ, sâu sắc các chủ trương, nghị quyết của Đảng, chính sách, "
    "pháp luật của Nhà nước; nâng cao nhận thức, trách nhiệm của cấp ủy, chính quyền, "
    "cơ quan, đơn vị và cán bộ, công chức, viên chức trong việc thực hiện nhiệm vụ.",
    "2. Xác định rõ nội dung, thời hạn, tiến độ hoàn thành và trách nhiệm của các "
    "sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố; bảo đảm sự phối hợp "
    "chặt chẽ, đồng bộ, hiệu quả giữa các cơ quan, đơn vị có liên quan.",
    "II. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU",
    "1. Đẩy mạnh cải cách hành chính, chuyển đổi số; nâng cao chất lượng phục vụ "
    "người dân và doanh nghiệp; công khai, minh bạch thủ tục hành chính.",
    "2. Tăng cường công tác kiểm tra, giám sát; kịp thời phát hiện, chấn chỉnh "
    "những hạn chế, khuyết điểm; biểu dương, khen thưởng tập thể, cá nhân có thành tích.",
    "III. TỔ CHỨC THỰC HIỆN",
    "Giao Văn phòng Ủy ban nhân dân tỉnh chủ trì, phối hợp với các cơ quan liên quan "
    "theo dõi, đôn đốc việc thực hiện Kế hoạch này; định kỳ tổng hợp, báo cáo Ủy ban "
    "nhân dân tỉnh trước ngày 15 tháng 12 năm 2024./.",
]


def make_docx(path: Path, index: int) -> None:
    """About one A4 page of Times New Roman 14 pt, like a short Kế hoạch."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    doc.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    doc.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    doc.add_paragraph(f"KẾ HOẠCH số {index + 1}/KH-UBND")
    for text in PARAGRAPHS:
        doc.add_paragraph(text)
    doc.save(path)


def render_vbtool(work: Path, n: int) -> None:
    """N versions of the seed-001 plan, one per synthetic commune (vbtool batch)."""
    from batch import EXAMPLE, synthetic_registry
    from vbtool import batch
    from vbtool.loader import load_file
    reg = synthetic_registry(n)
    job = batch.Job(load_file(EXAMPLE), reg, {}, work, "id")
    errors = [r for r in batch.run(job, list(reg.units), 2) if r[2]]
    if errors:
        sys.exit(f"vbtool batch lỗi: {errors[:3]}")


def baseline(soffice: str, files: list[Path], outdir: Path, profile: Path) -> float:
    """One soffice process per file, as a naive loop would do; returns seconds."""
    def run(docx: Path) -> None:
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
             "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", str(outdir),
             str(docx)],
            stdin=subprocess.DEVNULL, capture_output=True, check=True, timeout=120,
        )

    run(files[0])  # warm the profile outside the timing
    start = time.perf_counter()
    for docx in files:
        run(docx)
    elapsed = time.perf_counter() - start
    missing = [f.name for f in files if not (outdir / (f.stem + ".pdf")).is_file()]
    if missing:
        sys.exit(f"Baseline không tạo được PDF cho: {', '.join(missing)}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description="Đo tốc độ chuyển .docx sang PDF")
    parser.add_argument("-n", type=int, default=200, help="số tệp tạo ra (mặc định 200)")
    parser.add_argument("-j", type=int, default=2, help="số tiến trình soffice song song")
    parser.add_argument("--chunk-size", type=int, default=50, help="số tệp mỗi lần gọi soffice")
    parser.add_argument("--sample", type=int, default=5,
                        help="số tệp chuyển theo kiểu mỗi tệp một lần gọi soffice (mốc so sánh)")
    parser.add_argument("--docx", type=Path, help="dùng các tệp .docx có sẵn trong thư mục này")
    parser.add_argument("--vbtool", action="store_true",
                        help="dùng kế hoạch mẫu 001 (7 trang) do vbtool batch dựng cho N đơn vị")
    args = parser.parse_args()

    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="vbtool-bench-") as tmp:
        work = Path(tmp) / "docx"
        work.mkdir()
        if args.docx:
            # Copy, so the benchmark never writes PDFs into the user's folder.
            sources = sorted(args.docx.glob("*.docx"))
            if not sources:
                sys.exit(f"Không có tệp .docx nào trong {args.docx}")
            for src in sources:
                shutil.copy2(src, work / src.name)
        elif args.vbtool:
            t0 = time.perf_counter()
            render_vbtool(work, args.n)
        else:
            t0 = time.perf_counter()
            for i in range(args.n):
                make_docx(work / f"ke-hoach-{i:04d}.docx", i)
            print(f"tạo {args.n} tệp .docx: {time.perf_counter() - t0:.1f} s")
        files = sorted(work.glob("*.docx"))

        start = time.perf_counter()
        result = convert_many(files, jobs=args.j, chunk_size=args.chunk_size)
        batch_s = time.perf_counter() - start
        failed = {p.name: r for p, r in result.items() if isinstance(r, str)}
        for name, msg in failed.items():
            print(f"LỖI {name}: {msg}")

        sample = files[: max(1, min(args.sample, len(files)))]
        out = Path(tmp) / "baseline"
        out.mkdir()
        profile = Path(tmp) / "baseline-profile"
        base_s = baseline(soffice, sample, out, profile)

    batch_rate = len(files) / batch_s
    base_rate = len(sample) / base_s
    print(f"{'cách chạy':<36}{'tệp':>6}{'giây':>9}{'tệp/s':>9}{'s/tệp':>9}")
    print(f"{f'convert_many (-j {args.j}, chunk {args.chunk_size})':<36}"
          f"{len(files):>6}{batch_s:>9.2f}{batch_rate:>9.2f}{batch_s / len(files):>9.3f}")
    print(f"{'mỗi tệp một lần gọi soffice':<36}"
          f"{len(sample):>6}{base_s:>9.2f}{base_rate:>9.2f}{base_s / len(sample):>9.3f}")
    print(f"tỉ lệ tốc độ: {batch_rate / base_rate:.1f}x; lỗi: {len(failed)}/{len(files)}")


if __name__ == "__main__":
    main()
