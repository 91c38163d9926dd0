"""The Starlette application behind `vbtool serve`.

Security model (the server runs on the clerk's own machine, but any web page the
clerk visits could try to talk to it):

* it listens on 127.0.0.1 and answers only requests whose ``Host`` names the
  address it listens on (no DNS rebinding) and whose ``Origin``, when present, is
  its own (no cross-site requests);
* every ``/api/`` call carries the per-session token printed by the command (in the
  ``X-Vbtool-Token`` header; page images, loaded by ``<img>``, in ``?t=``), so a
  page that cannot read the token cannot use the API;
* request bodies and documents have size limits; file names go through
  ``paths.safe_path`` (inside the folder, no ``..``, no absolute paths, no symlinks out).
"""
from __future__ import annotations

import hmac
import json
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from ..loader import MAX_BYTES, InputError
from ..package import write_atomic
from . import yamlsync
from .analysis import PIPELINE_LOCK, analyze
from .paths import PathError, autosave_path, list_yaml, relative, safe_path, unsaved_autosaves
from .preview import Converter, PreviewWorker

STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 2 * MAX_BYTES + 256 * 1024      # the form's data and the YAML text it came from
TOKEN_HEADER = "x-vbtool-token"


@dataclass
class Settings:
    root: Path
    token: str
    port: int
    host: str = "127.0.0.1"
    soffice: str | None = None            # LibreOffice executable (tests use a crashing stand-in)
    workdir: Path | None = None
    extra_hosts: list[str] = field(default_factory=list)
    warm: bool = True                     # convert a small document at start to warm LibreOffice up

    @property
    def allowed_hosts(self) -> set[str]:
        names = {self.host, "127.0.0.1", "localhost", *self.extra_hosts}
        return {f"{n}:{self.port}" for n in names} | ({*names} if self.port == 80 else set())

    @property
    def allowed_origins(self) -> set[str]:
        return {f"http://{h}" for h in self.allowed_hosts}


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra):
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def _deny(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


class Guard:
    """ASGI middleware: Host, Origin, token and body size checks before any route runs."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.s = settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        deny = self._check(scope, headers)
        if deny is not None:
            return await deny(scope, receive, send)
        return await self.app(scope, receive, send)

    def _check(self, scope, headers) -> Response | None:
        if headers.get("host", "") not in self.s.allowed_hosts:
            return _deny(403, "Yêu cầu bị từ chối: máy chủ vbtool chỉ phục vụ trang mở tại địa chỉ của chính nó.")
        origin = headers.get("origin")
        if origin is not None and origin not in self.s.allowed_origins:
            return _deny(403, "Yêu cầu bị từ chối: đến từ một trang web khác.")
        if headers.get("sec-fetch-site") == "cross-site":
            return _deny(403, "Yêu cầu bị từ chối: đến từ một trang web khác.")
        path = scope["path"]
        if path.startswith("/api/"):
            token = headers.get(TOKEN_HEADER)
            if token is None and scope["method"] == "GET":
                token = (parse_qs(scope.get("query_string", b"").decode("latin-1")).get("t") or [None])[0]
            if not token or not hmac.compare_digest(token.encode(), self.s.token.encode()):
                return _deny(403, "Thiếu hoặc sai mã phiên: hãy mở đường dẫn mà lệnh vbtool serve đã in ra.")
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            return _deny(400, "Yêu cầu không hợp lệ.")
        if length > MAX_BODY:
            return _deny(413, f"Dữ liệu gửi lên quá lớn (tối đa {MAX_BODY // 1024} KB).")
        return None


async def _json(request: Request) -> dict:
    size = 0
    chunks = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, f"Dữ liệu gửi lên quá lớn (tối đa {MAX_BODY // 1024} KB).")
        chunks.append(chunk)
    try:
        body = json.loads(b"".join(chunks) or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Yêu cầu không hợp lệ (không phải JSON).") from None
    if not isinstance(body, dict):
        raise ApiError(400, "Yêu cầu không hợp lệ.")
    return body


def _text(body: dict, key: str = "text") -> str:
    text = body.get(key)
    if not isinstance(text, str):
        raise ApiError(400, f"Thiếu trường \"{key}\".")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ApiError(413, f"Văn bản quá lớn (tối đa {MAX_BYTES // 1024} KB).")
    return unicodedata.normalize("NFC", text)


def _render(text: str) -> bytes:
    from ..document import load_document_text, to_docx
    with PIPELINE_LOCK:
        return to_docx(load_document_text(text, "văn bản"))


def _download_name(name: str, suffix: str) -> str:
    stem = Path(name or "van-ban").stem or "van-ban"
    return stem + suffix


def _attachment(data: bytes, filename: str, media: str) -> Response:
    from urllib.parse import quote
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disp = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disp})


@dataclass
class BatchState:
    """Progress of the one batch the page may run at a time."""

    total: int = 0
    done: int = 0
    finished: bool = False
    outdir: str = ""
    errors: list[str] = field(default_factory=list)
    written: int = 0


class Api:
    """The routes, bound to one served folder.

    It stays one class (over 250 lines) because every route shares the folder, the registry and
    the one lock around checks and renders; the work itself is in paths.py, analysis.py,
    yamlsync.py, preview.py and the domain modules, so each method is a short handler."""

    def __init__(self, s: Settings):
        self.s = s
        self.root = s.root.resolve()
        self.workdir = s.workdir or Path(tempfile.mkdtemp(prefix="vbtool-serve-"))
        self.converter = Converter(self.workdir, soffice=s.soffice)
        (self.workdir / "preview").mkdir(parents=True, exist_ok=True)
        from ..skeleton import skeleton
        self.preview = PreviewWorker(self.workdir / "preview", self.converter, _render,
                                     warm_text=skeleton("ke_hoach", "nha_nuoc") if s.warm else None)
        self._registry = None
        self._registry_path: Path | None = None
        self.batch_state = BatchState(finished=True)

    # ------------------------------------------------------------ helpers

    def path(self, name) -> Path:
        try:
            return safe_path(self.root, name)
        except PathError as exc:
            raise ApiError(400, str(exc)) from None

    def registry(self):
        """The unit registry of the folder: the first don-vi/*.yaml found (or None)."""
        if self._registry is None:
            from .. import registry
            for rel in list_yaml(self.root):
                p = self.root / rel
                if p.parent.name == "don-vi":
                    try:
                        with PIPELINE_LOCK:
                            self._registry = registry.load(p)
                        self._registry_path = p
                    except InputError:
                        continue
                    break
        return self._registry

    def required_registry(self):
        """The folder's registry, or a 400 saying that derive and batch need one."""
        reg = self.registry()
        if reg is None:
            raise ApiError(400, "Không có danh mục đơn vị (don-vi/*.yaml) trong thư mục đang mở.")
        return reg

    # ------------------------------------------------------------ routes

    async def index(self, request: Request) -> Response:
        token = request.query_params.get("token") or request.cookies.get("vbtool_token") or ""
        if not hmac.compare_digest(token.encode(), self.s.token.encode()):
            return HTMLResponse("<!doctype html><meta charset=utf-8><title>vbtool</title>"
                                "<p>Thiếu hoặc sai mã phiên. Hãy mở đường dẫn mà lệnh <code>vbtool serve</code> "
                                "đã in ra trong cửa sổ dòng lệnh.</p>", status_code=403)
        html = (STATIC / "index.html").read_text(encoding="utf-8")
        html = html.replace("{{TOKEN}}", self.s.token).replace("{{FOLDER}}", _html_escape(str(self.root)))
        resp = HTMLResponse(html, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer",
                                           "Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:;"
                                           " style-src 'self'; script-src 'self'; frame-ancestors 'none'"})
        resp.set_cookie("vbtool_token", self.s.token, httponly=True, samesite="strict")
        return resp

    async def files(self, request: Request) -> Response:
        names = list_yaml(self.root)
        docs = [n for n in names if "/don-vi/" not in f"/{n}"]
        return JSONResponse({"folder": str(self.root), "files": docs, "unsaved": unsaved_autosaves(self.root)})

    async def schema(self, request: Request) -> Response:
        from ..schema import SCHEMA_DIR
        return Response((SCHEMA_DIR / "van-ban.schema.json").read_bytes(), media_type="application/json")

    async def units(self, request: Request) -> Response:
        reg = self.registry()
        if reg is None:
            return JSONResponse({"registry": None, "units": [], "groups": [], "signers": []})
        units = [{"id": u.id, "ten": u.ten.replace("\n", " "), "ten_goi": u.name_in_text.replace("\n", " "),
                  "names": [n.replace("\n", " ") for n in u.names()], "nhom": u.nhom} for u in reg.units.values()]
        groups = [{"id": g, "phrases": p} for g, p in reg.groups.items()]
        signers = sorted({(u.ky or {}).get("chuc_vu", "") for u in reg.units.values()} - {""})
        assert self._registry_path is not None          # set together with the registry
        return JSONResponse({"registry": relative(self.root, self._registry_path), "units": units,
                             "groups": groups, "vague": reg.vague, "signers": signers})

    async def open(self, request: Request) -> Response:
        body = await _json(request)
        target = self.path(body.get("path"))
        side = autosave_path(target)
        if not target.exists() and side.is_file() and side.stat().st_size <= MAX_BYTES:
            # a new document that was never saved: its autosave comes back as a new, unsaved document
            text = side.read_text(encoding="utf-8", errors="replace")
            out = analyze(text, relative(self.root, target)).as_json()
            return JSONResponse(dict(out, path=None, suggested=relative(self.root, target), text=text, autosave=None))
        if not target.is_file():
            raise ApiError(404, f"Không có tệp \"{body.get('path')}\" trong thư mục.")
        if target.stat().st_size > MAX_BYTES:
            raise ApiError(413, f"Tệp quá lớn (tối đa {MAX_BYTES // 1024} KB).")
        try:
            text = target.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "Tệp không phải mã UTF-8 (hãy lưu lại với mã hóa UTF-8).") from None
        autosave = None
        if side.is_file() and side.stat().st_size <= MAX_BYTES:
            saved = side.read_text(encoding="utf-8", errors="replace")
            if saved != text:
                autosave = saved
        out = analyze(text, relative(self.root, target)).as_json()
        return JSONResponse(dict(out, path=relative(self.root, target), text=text, autosave=autosave,
                                 mtime=str(target.stat().st_mtime_ns)))

    async def new(self, request: Request) -> Response:
        from ..skeleton import issuer_for, skeleton
        body = await _json(request)
        loai, the_thuc = body.get("loai"), body.get("the_thuc")
        if loai not in ("ke_hoach", "bao_cao") or the_thuc not in ("nha_nuoc", "dang"):
            raise ApiError(400, "Chọn loại văn bản (kế hoạch, báo cáo) và thể thức (nhà nước, Đảng).")
        unit_id = body.get("don_vi")
        if unit_id:
            reg = self.registry()
            unit = reg.units.get(unit_id) if reg else None
            if unit is None:
                raise ApiError(400, f"Không có đơn vị \"{unit_id}\" trong danh mục.")
            # the same skeleton as `vbtool new --danh-muc --don-vi`: header, signer, recipients of the unit
            text = skeleton(loai, unit.the_thuc, issuer=issuer_for(unit, reg))
        else:
            text = skeleton(loai, the_thuc)
        # the schema line: relative to the folder is unknown until saved; drop it
        text = "\n".join(line for line in text.split("\n") if not line.startswith("# yaml-language-server"))
        suggested = f"{loai.replace('_', '-')}-moi.yaml"
        out = analyze(text).as_json()
        return JSONResponse(dict(out, text=text, path=None, suggested=suggested))

    async def sync(self, request: Request) -> Response:
        """Form → YAML (``data`` given, merged into ``base``) or YAML → form (``text`` given)."""
        body = await _json(request)
        if "data" in body:
            data = body["data"]
            if not isinstance(data, dict):
                raise ApiError(400, "Dữ liệu biểu mẫu không hợp lệ.")
            raw_base = body.get("base")
            base = raw_base if isinstance(raw_base, str) else ""
            text = await run_in_threadpool(yamlsync.dump, data, base)
            if len(text.encode("utf-8")) > MAX_BYTES:
                raise ApiError(413, f"Văn bản quá lớn (tối đa {MAX_BYTES // 1024} KB).")
        else:
            text = _text(body)
        raw_name = body.get("path")
        name = raw_name if isinstance(raw_name, str) else "văn bản"
        result = await run_in_threadpool(analyze, text, name)
        return JSONResponse(dict(result.as_json(), text=text))

    async def save(self, request: Request) -> Response:
        body = await _json(request)
        text = _text(body)
        target = self.path(body.get("path"))
        if body.get("new") and target.exists():
            raise ApiError(409, f"Đã có tệp \"{body.get('path')}\": không ghi đè. Hãy chọn tên khác.")
        if not target.parent.is_dir():
            raise ApiError(400, f"Không có thư mục \"{Path(str(body.get('path'))).parent}\" trong thư mục đang mở.")
        known = body.get("mtime")
        if known and target.exists() and str(target.stat().st_mtime_ns) != known:
            raise ApiError(409, f"Tệp \"{relative(self.root, target)}\" vừa được sửa bằng chương trình khác từ lúc mở: "
                                "không ghi đè. Bản đang soạn vẫn được tự lưu; hãy lưu với tên khác (Mở / Tạo mới).")
        write_atomic(target, text.encode("utf-8"))
        autosave_path(target).unlink(missing_ok=True)
        a = analyze(text, relative(self.root, target))
        return JSONResponse({"path": relative(self.root, target), "valid": a.valid, "placeholders": a.placeholders,
                             "mtime": str(target.stat().st_mtime_ns)})

    async def autosave(self, request: Request) -> Response:
        body = await _json(request)
        text = _text(body)
        target = self.path(body.get("path"))
        if not target.parent.is_dir():
            raise ApiError(400, "Không có thư mục để tự lưu.")
        side = autosave_path(target)
        if body.get("discard"):
            side.unlink(missing_ok=True)
            return JSONResponse({"discarded": True})
        write_atomic(side, text.encode("utf-8"))
        return JSONResponse({"autosaved": relative(self.root, side)})

    async def preview_submit(self, request: Request) -> Response:
        body = await _json(request)
        return JSONResponse({"rev": self.preview.submit(_text(body))})

    async def preview_status(self, request: Request) -> Response:
        try:
            wait_for = int(request.query_params.get("wait", "0"))
        except ValueError:
            wait_for = 0
        if wait_for:
            await run_in_threadpool(self.preview.wait, wait_for, 10.0)
        rev, busy, res = self.preview.status()
        out: dict[str, object] = {"submitted": rev, "busy": busy, "result": None}
        if res is not None:
            out["result"] = {"rev": res.rev, "ok": res.ok, "error": res.error, "text": res.text,
                             "seconds": round(res.seconds, 2),
                             "pages": [f"/api/page/{res.rev}/{i + 1}" for i in range(len(res.pages))]}
        return JSONResponse(out)

    async def page(self, request: Request) -> Response:
        rev, n = request.path_params["rev"], request.path_params["n"]
        _, _, res = self.preview.status()
        folder = self.workdir / "preview" / f"rev-{rev}"
        pages = sorted(folder.glob("page-*.jpg"), key=lambda p: int(p.stem.rsplit("-", 1)[-1]))
        if res is not None and res.rev == rev:
            pages = res.pages
        if not 1 <= n <= len(pages) or not pages[n - 1].is_file():
            raise ApiError(404, "Trang xem trước không còn (đã có bản mới hơn).")
        return FileResponse(pages[n - 1], media_type="image/jpeg", headers={"Cache-Control": "private, max-age=600"})

    async def docx(self, request: Request) -> Response:
        body = await _json(request)
        text = _text(body)
        try:
            data = await run_in_threadpool(_render, text)
        except InputError as exc:
            raise ApiError(
                422, "Văn bản còn lỗi, chưa dựng được .docx.", problems=[str(p) for p in exc.problems]
            ) from None
        return _attachment(data, _download_name(body.get("name", ""), ".docx"),
                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    async def pdf(self, request: Request) -> Response:
        from ..pdf import PdfError
        body = await _json(request)
        text = _text(body)
        try:
            data = await run_in_threadpool(_render, text)
            pdf = await run_in_threadpool(self.converter.to_pdf, data)
        except InputError as exc:
            raise ApiError(
                422, "Văn bản còn lỗi, chưa dựng được PDF.", problems=[str(p) for p in exc.problems]
            ) from None
        except PdfError as exc:
            raise ApiError(500, f"Không tạo được PDF: {exc}") from None
        return _attachment(pdf, _download_name(body.get("name", ""), ".pdf"), "application/pdf")

    async def check(self, request: Request) -> Response:
        from ..check import DocxError, check_docx
        body = await _json(request)
        text = _text(body)
        try:
            report = await run_in_threadpool(lambda: check_docx(_render(text)))
        except InputError as exc:
            raise ApiError(
                422, "Văn bản còn lỗi, chưa kiểm tra thể thức được.", problems=[str(p) for p in exc.problems]
            ) from None
        except DocxError as exc:
            raise ApiError(500, f"Không kiểm tra được: {exc}") from None
        report.file = _download_name(body.get("name", ""), ".docx")
        return JSONResponse({"errors": len(report.errors), "warnings": len(report.warnings),
                             "lines": report.human_lines(), "findings": [f.as_dict() for f in report.findings]})

    async def derive(self, request: Request) -> Response:
        from .. import derive
        from ..document import load_document_text
        body = await _json(request)
        text = _text(body)
        reg = self.required_registry()
        unit = reg.units.get(body.get("don_vi"))
        if unit is None:
            raise ApiError(400, f"Không có đơn vị \"{body.get('don_vi')}\" trong danh mục.")
        source_name = body.get("path") or "ke-hoach.yaml"
        target = self.path(body.get("target") or f"{Path(source_name).stem}-{unit.id}.yaml")
        if target.exists():
            raise ApiError(409, f"Đã có tệp \"{relative(self.root, target)}\": không ghi đè.")
        try:
            with PIPELINE_LOCK:
                doc = load_document_text(text, source_name)
                if doc.kind != "ke_hoach":
                    raise ApiError(400, "Chỉ tạo kế hoạch cấp dưới được từ một kế hoạch.")
                derive.check_phrases(doc, reg)
                data = derive.child_plan(doc, reg, unit)
        except InputError as exc:
            raise ApiError(422, "Văn bản còn lỗi, chưa tạo được kế hoạch cấp dưới.",
                           problems=[str(p) for p in exc.problems]) from None
        note = f"Dự thảo kế hoạch của {unit.name_in_text}, sinh từ {Path(source_name).name}. Sửa các chỗ [[…]]."
        write_atomic(target, derive.to_yaml(data, target, note).encode("utf-8"))
        return JSONResponse({"path": relative(self.root, target), "tasks": len(derive.pick(doc, reg, unit))})

    async def batch_start(self, request: Request) -> Response:
        """One version of the document per unit of a group, into a new folder inside the served one."""
        import threading
        from .. import batch
        from ..loader import load_text
        body = await _json(request)
        text = _text(body)
        reg = self.required_registry()
        if not self.batch_state.finished:
            raise ApiError(409, "Đang dựng hàng loạt; chờ lần dựng trước xong.")
        group = body.get("nhom") or ""
        if group not in reg.groups:
            raise ApiError(400, f"Không có nhóm \"{group}\" trong danh mục.")
        name = body.get("thu_muc") or ""
        outdir = self.path(f"{name}/x.yaml").parent if name else None
        if outdir is None or outdir == self.root:
            raise ApiError(400, "Hãy đặt tên thư mục kết quả (trong thư mục đang mở).")
        if outdir.exists() and any(outdir.iterdir()):
            raise ApiError(409, f'Thư mục "{relative(self.root, outdir)}" đã có tệp: không ghi đè. Hãy chọn tên khác.')
        try:
            with PIPELINE_LOCK:
                base = load_text(text, body.get("path") or "văn bản")
                ids = batch.select_units(reg, group)
                batch.check_base(base, reg, ids)
        except InputError as exc:
            raise ApiError(
                422, "Văn bản còn lỗi, chưa dựng hàng loạt được.", problems=[str(p) for p in exc.problems]
            ) from None
        state = BatchState(total=len(ids), outdir=relative(self.root, outdir))
        self.batch_state = state
        job = batch.Job(base, reg, {}, outdir, "ten")

        def tick(n: int) -> None:
            state.done += n

        def work() -> None:
            try:
                # one process: forking a threaded server is unsafe, and 1 process renders
                # hundreds of documents per second (README, batch figures)
                with PIPELINE_LOCK:
                    results = batch.run(job, ids, 1, progress=tick)
                state.errors = [f"{uid}: {err}" for uid, _, err in results if err]
                state.written = sum(1 for _, out, err in results if out and not err)
            except Exception as exc:  # reported on the page; the server keeps serving
                state.errors.append(f"lỗi khi dựng hàng loạt: {type(exc).__name__}: {exc}")
            finally:
                state.finished = True

        threading.Thread(target=work, name="vbtool-batch", daemon=True).start()
        return JSONResponse({"total": state.total, "outdir": state.outdir})

    async def batch_status(self, request: Request) -> Response:
        st = self.batch_state
        return JSONResponse({"total": st.total, "done": st.done, "finished": st.finished, "outdir": st.outdir,
                             "written": st.written, "errors": st.errors})


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _wrap(handler):
    async def run(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as exc:
            return JSONResponse({"error": exc.message, **exc.extra}, status_code=exc.status)
        except OSError as exc:
            return JSONResponse({"error": f"Không đọc/ghi được tệp: {exc.strerror or exc}"}, status_code=500)
        except Exception as exc:  # a bug must show as a message on the page, and the server keeps serving
            return JSONResponse({"error": f"Lỗi nội bộ ({type(exc).__name__}: {exc}); nội dung đang soạn vẫn còn "
                                          "trên trang và trong tệp tự lưu."}, status_code=500)
    return run


def create_app(settings: Settings) -> Starlette:
    api = Api(settings)
    post = [("open", api.open), ("new", api.new), ("sync", api.sync), ("save", api.save),
            ("autosave", api.autosave), ("preview", api.preview_submit), ("docx", api.docx), ("pdf", api.pdf),
            ("check", api.check), ("derive", api.derive), ("batch", api.batch_start)]
    routes = [Route("/", api.index),
              Route("/api/files", _wrap(api.files)), Route("/api/schema", _wrap(api.schema)),
              Route("/api/units", _wrap(api.units)), Route("/api/preview", _wrap(api.preview_status)),
              Route("/api/batch-status", _wrap(api.batch_status)),
              Route("/api/page/{rev:int}/{n:int}", _wrap(api.page)),
              *[Route(f"/api/{name}", _wrap(h), methods=["POST"]) for name, h in post],
              Mount("/static", StaticFiles(directory=STATIC), name="static")]
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app):
        yield
        api.preview.stop()            # also stops the LibreOffice kept running for the preview

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.api = api
    app.add_middleware(Guard, settings=settings)
    return app
