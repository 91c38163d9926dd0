"""`vbtool serve`: start the local web editor on a drafts folder."""
from __future__ import annotations

import secrets
import socket
import sys
from pathlib import Path

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _free_port(host: str, wanted: int) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, wanted))
        except OSError:
            if wanted:
                click.echo(f"Cổng {wanted} đang bận; hãy chọn cổng khác với --port.", err=True)
                sys.exit(1)
            raise
        return s.getsockname()[1]


@click.command("serve", context_settings=CONTEXT)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."), metavar="[THƯ_MỤC]")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, metavar="CỔNG",
              help="Cổng của máy chủ (0: tự chọn một cổng trống).")
@click.option("--no-browser", is_flag=True, help="Không tự mở trình duyệt.")
def serve_cmd(folder: Path, port: int, no_browser: bool) -> None:
    """Mở trình soạn văn bản trên trình duyệt cho các tệp YAML trong THƯ_MỤC (mặc định: thư mục hiện tại).

    Máy chủ chỉ nghe tại 127.0.0.1 (chỉ máy này truy cập được), chỉ đọc/ghi tệp
    trong THƯ_MỤC và cần mã phiên in trong đường dẫn. Dừng bằng Ctrl-C."""
    try:
        import uvicorn

        from ..serve.app import Settings, create_app
    except ImportError as exc:
        click.echo(f"Thiếu thư viện cho trình soạn trên trình duyệt ({exc.name}). Cài đặt: "
                   "pip install 'vbtool[serve]'", err=True)
        sys.exit(1)
    if not folder.is_dir():
        click.echo(f"{folder}: không có thư mục này.", err=True)
        sys.exit(1)
    host = "127.0.0.1"
    port = _free_port(host, port)
    token = secrets.token_urlsafe(24)
    settings = Settings(root=folder.resolve(), token=token, port=port, host=host)
    app = create_app(settings)
    url = f"http://{host}:{port}/?token={token}"
    click.echo(f"Trình soạn văn bản vbtool cho thư mục {settings.root}")
    click.echo(f"Mở trong trình duyệt: {url}")
    click.echo("Dừng: Ctrl-C")
    if not no_browser:
        import threading
        import webbrowser
        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, log_level="warning")
