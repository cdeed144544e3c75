#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real `busker` program, seen the way assistive technology sees it.

Starts build/src/busker with a path that does not exist and with a file
that is not a project, and reads the widget tree over AT-SPI (pyatspi):
the window must be up, a toast must name the file and the problem, and
every button outside libadwaita's own toast must have a name. Then, with
real key presses (xdotool), Ctrl+? opens the Keyboard Shortcuts window and
Ctrl+Q quits with exit status 0. With the demo project (BUSKER_DEMO): the
title, every button named (the window's own by name), Ctrl+E opens "Export
Mixdown" with its "Export" button. Runs inside
tests/gui/run-under-xvfb (display + D-Bus session; the accessibility bus
is activated on demand). Busker runs with G_DEBUG=fatal-warnings, so any
GLib/GTK warning kills it and fails the test.
Usage: test-cli.py BUSKER_BINARY
"""
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

from atspi_util import check, failures, find_app, walk_marked

busker = sys.argv[1]
shots = os.environ.get("BUSKER_SCREENSHOT_DIR")


def walk(acc):
    """Yields (accessible, inside libadwaita's toast widget)."""
    return walk_marked(acc, lambda a: a.name == "AdwToastWidget")


def wait_for_label(app, proc, text, give_up_s=60):
    deadline = time.monotonic() + give_up_s
    while time.monotonic() < deadline and proc.poll() is None:
        for acc, _ in walk(app):
            if acc.getRoleName() == "label" and text in (acc.name or ""):
                return acc.name
        time.sleep(0.1)
    return None


def run_case(path, expected, shot):
    env = dict(os.environ, G_DEBUG="fatal-warnings")
    proc = subprocess.Popen([busker, path], env=env)
    try:
        app = find_app(proc)
        check(app is not None, f"busker {path!r} shows a window over AT-SPI")
        if app is None:
            return
        frames = [a for a, _ in walk(app) if a.getRoleName() == "frame"]
        check(any(f.name == "Busker" for f in frames), "the window is titled Busker")
        toast = wait_for_label(app, proc, expected)
        check(toast is not None, f"a toast says {expected!r}")
        if toast is not None:
            check(path in toast, f"the toast names the file: {toast!r}")
        unnamed = [a.getRoleName() for a, in_toast in walk(app)
                   if not in_toast and a.getRoleName() in ("push button", "toggle button")
                   and (not a.name or a.name.startswith(("Gtk", "Adw")))]
        check(not unnamed, f"every button has a name (unnamed: {unnamed})")
        if shots and toast is not None:
            subprocess.run(["import", "-window", "root", os.path.join(shots, shot)], check=True)
        check(proc.poll() is None, "busker is still running (no fatal warning)")
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait()


def frame_names(app):
    """Names of the application's windows (a modal one is a dialog)."""
    names = []
    for i in range(app.childCount):
        window = app.getChildAtIndex(i)
        if window is not None and window.getRoleName() in ("frame", "dialog", "window"):
            names.append(window.name)
    return names


def wait_for_frame(app, proc, name, give_up_s=60):
    deadline = time.monotonic() + give_up_s
    while time.monotonic() < deadline and proc.poll() is None:
        if name in frame_names(app):
            return True
        time.sleep(0.1)
    return False


def press_ctrl_q(proc, what):
    """Ctrl+Q; the program must end with status 0."""
    subprocess.run(["xdotool", "key", "ctrl+q"], check=True)
    try:
        status = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        status = None
    check(status == 0, f"{what} (exit status {status})")


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
    proc.wait()


def run_keyboard():
    env = dict(os.environ, G_DEBUG="fatal-warnings")
    proc = subprocess.Popen([busker], env=env)
    try:
        app = find_app(proc)
        check(app is not None, "busker without arguments shows a window")
        if app is None:
            return
        # Without a window manager the window under the pointer has focus.
        subprocess.run(["xdotool", "search", "--sync", "--name", "^Busker$",
                        "windowfocus", "--sync"], check=False)
        subprocess.run(["xdotool", "key", "ctrl+question"], check=True)
        check(wait_for_frame(app, proc, "Keyboard shortcuts"),
              f"Ctrl+? opens the Keyboard Shortcuts window (windows: {frame_names(app)})")
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        press_ctrl_q(proc, "Ctrl+Q quits cleanly")
    finally:
        stop(proc)


def run_demo(demo):
    """The demo project over AT-SPI: title, named controls, Ctrl+E."""
    env = dict(os.environ, G_DEBUG="fatal-warnings")
    proc = subprocess.Popen([busker, demo], env=env)
    try:
        app = find_app(proc)
        check(app is not None, "busker DEMO shows a window")
        if app is None:
            return
        check(wait_for_frame(app, proc, "Demo song — Busker"),
              f"the window is titled 'Demo song — Busker' (windows: {frame_names(app)})")
        buttons = [a for a, in_toast in walk(app) if not in_toast
                   and a.getRoleName() in ("push button", "toggle button")]
        names = sorted({a.name for a in buttons if a.name})
        unnamed = [a.getRoleName() for a in buttons
                   if not a.name or a.name.startswith(("Gtk", "Adw"))]
        print(f"buttons: {len(buttons)}, named: {names}", flush=True)
        check(not unnamed, f"every button of the demo window has a name (unnamed: {unnamed})")
        for want in ("Add Strip", "Undo", "Redo", "Apps", "Main Menu", "Play", "Stop", "Loop"):
            check(want in names, f"a button is named {want!r}")
        subprocess.run(["xdotool", "search", "--sync", "--name", "^Demo song — Busker$",
                        "windowfocus", "--sync"], check=False)
        subprocess.run(["xdotool", "key", "ctrl+e"], check=True)
        check(wait_for_frame(app, proc, "Export Mixdown"),
              f"Ctrl+E opens 'Export Mixdown' (windows: {frame_names(app)})")
        export = [a for a, _ in walk(app)
                  if a.getRoleName() == "push button" and a.name == "Export"]
        check(len(export) == 1, "the export dialog has one button named 'Export'")
        subprocess.run(["xdotool", "key", "Escape"], check=True)
        press_ctrl_q(proc, "Ctrl+Q quits an unmodified project cleanly")
    finally:
        stop(proc)


with tempfile.TemporaryDirectory() as tmp:
    run_case(os.path.join(tmp, "missing.busker"), "No such file or directory", "busker-toast-missing.png")
    notes = os.path.join(tmp, "notes.txt")
    with open(notes, "w") as f:
        f.write("just some words\n")
    run_case(notes, "not valid JSON", "busker-toast-not-project.png")
run_keyboard()
run_demo(os.environ["BUSKER_DEMO"])

sys.exit(1 if failures else 0)
