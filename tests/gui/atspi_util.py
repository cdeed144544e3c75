# SPDX-License-Identifier: GPL-3.0-or-later
"""What the AT-SPI tests (test-cli.py, test-mixer-atspi.py,
test-live-window.py) share: reporting checks, walking a widget tree,
finding our process's application on the accessibility bus, stopping the
processes a test started. Imported from the test's own folder (Python puts
a script's folder first on sys.path)."""
import subprocess
import time

import pyatspi

failures = []


def check(ok, what):
    """Prints "ok: what" or "FAIL: what" (remembered in failures); returns ok."""
    print(("ok: " if ok else "FAIL: ") + what, flush=True)
    if not ok:
        failures.append(what)
    return ok


def walk_marked(acc, mark, marked=False):
    """Yields (accessible, marked) depth-first from acc, where marked says
    whether acc or one of its ancestors satisfies mark(accessible). An
    accessible that went away while walking ends its branch."""
    try:
        n = acc.childCount
        marked = marked or mark(acc)
    except Exception:
        return
    yield acc, marked
    for i in range(n):
        child = acc.getChildAtIndex(i)
        if child is not None:
            yield from walk_marked(child, mark, marked)


def walk(acc):
    """Every accessible below acc, acc first."""
    for a, _ in walk_marked(acc, lambda _: False):
        yield a


def find_app(proc, give_up_s=60, every_s=0.1):
    """The AT-SPI application of the process proc (a Popen) once it shows a
    window; None when proc exits first or give_up_s (a hang guard) passes."""
    deadline = time.monotonic() + give_up_s
    while time.monotonic() < deadline and proc.poll() is None:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            try:
                if app is not None and app.get_process_id() == proc.pid and app.childCount:
                    return app
            except Exception:
                pass
        time.sleep(every_s)
    return None


def stop(procs, give_up_s=10):
    """Terminates every process of procs still running, waits for each,
    kills the ones that outlive give_up_s."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=give_up_s)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
