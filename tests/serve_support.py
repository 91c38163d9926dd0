"""Start `vbtool serve`'s application on a free port in a thread, for browser tests."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from vbtool.serve.app import Settings, create_app

# Debian's chromium, as root in a closed network: the flags keep it from phoning home.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path, token: str = "phien-thu-nghiem", **kw):
        self.port = free_port()
        self.settings = Settings(root=root, token=token, port=self.port, **kw)
        self.app = create_app(self.settings)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.settings.token}"

    def __enter__(self) -> "Server":
        self.thread.start()
        end = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > end:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.app.state.api.preview.stop()
