"""Keep one headless LibreOffice running and convert .docx to PDF on request.

Run by a Python that has LibreOffice's ``uno`` module (Debian: the system
``python3`` with the ``python3-uno`` package), not by vbtool's own Python: it is a
separate process so that a LibreOffice crash never takes the server with it.

LibreOffice runs in this helper's process group, so killing the group (the helper
is started as a group leader) ends LibreOffice with it, whatever state it is in.

Protocol: JSON lines. After start it prints ``{"ready": true, "pid": N}`` (N: the
soffice launcher); then for each request
``{"docx": PATH, "pdf": PATH}`` on stdin it prints ``{"ok": true}`` or
``{"ok": false, "error": "...", "dead": bool}``. End of stdin stops LibreOffice.

Why: starting soffice for each conversion costs about a second even with a warm
profile; converting inside a running soffice costs a few tenths of a second.
"""
import json
import os
import signal
import subprocess
import sys
import time

import uno  # noqa: E402  (only on the system Python)
from com.sun.star.beans import PropertyValue  # noqa: E402


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    soffice, profile_url, pipe = sys.argv[1:4]
    accept = "pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
    proc = subprocess.Popen([soffice, "-env:UserInstallation=" + profile_url, "--headless", "--invisible",
                             "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--accept=" + accept],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = None
    for _ in range(600):
        try:
            ctx = resolver.resolve("uno:" + accept)
            break
        except Exception:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    if ctx is None:
        say({"ready": False, "error": "LibreOffice không khởi động được"})
        stop(proc)
        return 1
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    say({"ready": True, "pid": proc.pid})
    for line in sys.stdin:
        try:
            req = json.loads(line)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(req["docx"]), "_blank", 0,
                                               (prop("Hidden", True), prop("ReadOnly", True)))
            if doc is None:
                say({"ok": False, "error": "LibreOffice không mở được tệp", "dead": False})
                continue
            try:
                doc.storeToURL(uno.systemPathToFileUrl(req["pdf"]), (prop("FilterName", "writer_pdf_Export"),))
            finally:
                doc.close(True)
            say({"ok": True})
        except Exception as exc:  # a dead LibreOffice: report it and stop, the caller starts a new one
            dead = proc.poll() is not None or type(exc).__name__ in ("DisposedException", "RuntimeException")
            say({"ok": False, "error": "%s: %s" % (type(exc).__name__, exc), "dead": dead})
            if dead:
                break
    stop(proc, desktop)
    return 0


def stop(proc, desktop=None):
    try:
        if desktop is not None:
            desktop.terminate()
        proc.wait(5)
    except Exception:
        pass
    if os.getpgid(0) == os.getpid():
        # soffice.bin is a grandchild (soffice -> oosplash -> soffice.bin): end the whole group, us included
        sys.stdout.flush()
        os.killpg(os.getpid(), signal.SIGKILL)
    elif proc.poll() is None:
        proc.kill()


if __name__ == "__main__":
    sys.exit(main())
