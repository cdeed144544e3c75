#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The window with live audio: the real `busker` on a private display
(tests/gui/run-under-xvfb) with its own PipeWire and WirePlumber
(tests/pipewire/pw-harness --wireplumber), seen over AT-SPI and driven
with xdotool.

- While PipeWire runs, the "Live audio is off" bar is not shown.
- Space plays the file tracks: the transport's position moves.
- The Apps panel lists a real client (pw-play) by its name; a real mouse
  drag of that row onto the live track "Music" routes it there: pw-dump
  then shows the stream linked into the "Busker: Music" sink, and Ctrl+S
  writes the app into the track's "apps" in the project file.
- Dragged onto "Default output", the stream goes back to the speakers.
Usage: test-live-window.py BUSKER_BINARY DEMO_STEMS_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import pyatspi

import atspi_util
from atspi_util import check, failures, walk

busker, stems = sys.argv[1], sys.argv[2]
shots = os.environ.get("BUSKER_SCREENSHOT_DIR")
procs = []


def poll(cond, give_up_s=30):
    """cond() until truthy; the limit is a hang guard. A walk of the mixer
    over AT-SPI takes a while, so no faster than twice a second."""
    deadline = time.monotonic() + give_up_s
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.5)
    return None


def find_app(proc):
    return atspi_util.find_app(proc, 60, 0.5)


def extents(acc):
    """In the window's coordinates: GTK 4.8 warns about screen coordinates
    (which fatal-warnings would turn into a crash)."""
    return acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)


def on_screen(acc):
    """GTK 4.8 marks hidden widgets (an unrevealed revealer's child) neither
    unshowing nor invisible over AT-SPI; their extents are empty."""
    e = extents(acc)
    return e.width > 0 and e.height > 0


def find(app, role, name, exact=True):
    for acc in walk(app):
        try:
            if acc.getRoleName() == role and (acc.name == name if exact else name in (acc.name or "")):
                if on_screen(acc):
                    return acc
        except Exception:
            pass
    return None


window_origin = (0, 0)


def centre(acc):
    e = extents(acc)
    return (window_origin[0] + e.x + e.width // 2, window_origin[1] + e.y + e.height // 2)


def drag(start, end):
    """A real pointer drag in small steps (one jump does not start a drag)."""
    x0, y0 = start
    x1, y1 = end
    subprocess.run(["xdotool", "mousemove", str(x0), str(y0)], check=True)
    time.sleep(0.2)
    subprocess.run(["xdotool", "mousedown", "1"], check=True)
    steps = 20
    for i in range(1, steps + 1):
        x = x0 + (x1 - x0) * i // steps
        y = y0 + (y1 - y0) * i // steps
        subprocess.run(["xdotool", "mousemove", str(x), str(y)], check=True)
        time.sleep(0.05)
    time.sleep(0.3)
    subprocess.run(["xdotool", "mouseup", "1"], check=True)


def pw_dump():
    """The graph as pw-dump prints it. pw-dump 0.3.65 sometimes prints a
    second, partial array when an object goes away while it writes (seen
    while Busker relinks a stream): take the next dump then."""
    for _ in range(20):
        out = subprocess.run(["pw-dump"], capture_output=True, text=True, check=True).stdout
        try:
            return json.loads(out)
        except json.JSONDecodeError:
            time.sleep(0.1)
    sys.exit(f"FAIL: pw-dump printed no valid JSON 20 times in a row:\n{out[:2000]}")


def stream_peer_names(dump, app_name):
    """Names of the nodes the app's playback stream is linked into."""
    nodes = {o["id"]: o for o in dump if o.get("type") == "PipeWire:Interface:Node"}
    ids = [i for i, n in nodes.items()
           if n["info"]["props"].get("application.name") == app_name
           and n["info"]["props"].get("media.class") == "Stream/Output/Audio"]
    peers = set()
    for o in dump:
        if o.get("type") == "PipeWire:Interface:Link":
            info = o["info"]
            if info.get("output-node-id") in ids and info.get("input-node-id") in nodes:
                peers.add(nodes[info["input-node-id"]]["info"]["props"].get("node.name"))
    return peers


def main(tmp):
    project = os.path.join(tmp, "live.busker")
    os.symlink(stems, os.path.join(tmp, "stems"))
    with open(project, "w") as f:
        json.dump({"format": 1, "name": "Live set", "strips": [
            {"id": "kick", "kind": "track", "name": "Kick",
             "source": {"type": "file", "path": "stems/kick.wav"}},
            {"id": "music", "kind": "track", "name": "Music", "source": {"type": "live"}},
            {"id": "master", "kind": "master", "name": "Master"}]}, f)
    tone = os.path.join(tmp, "tone.wav")
    # Long enough to outlast the AT-SPI walks of a loaded machine: the test
    # drags the stream twice and must find it still playing (killed at the end).
    subprocess.run(["sox", "-n", "-r", "48000", "-b", "16", "-c", "2", tone, "synth", "180",
                    "sine", "440", "vol", "0.1"], check=True)

    env = dict(os.environ, G_DEBUG="fatal-warnings")
    proc = subprocess.Popen([busker, project], env=env)
    procs.append(proc)
    app = find_app(proc)
    if not check(app is not None, "busker shows a window"):
        return
    check(poll(lambda: find(app, "frame", "Live set — Busker")) is not None,
          "the window is titled 'Live set — Busker'")
    # The bar may show for a moment until the session has connected.
    check(poll(lambda: find(app, "label", "Live audio is off", exact=False) is None, 10),
          "no 'Live audio is off' bar while PipeWire runs")

    global window_origin
    xid = subprocess.run(["xdotool", "search", "--sync", "--name", "^Live set — Busker$"],
                         capture_output=True, text=True, check=True).stdout.split()[0]
    geometry = dict(line.split("=") for line in subprocess.run(
        ["xdotool", "getwindowgeometry", "--shell", xid],
        capture_output=True, text=True, check=True).stdout.split())
    window_origin = (int(geometry["X"]), int(geometry["Y"]))
    subprocess.run(["xdotool", "windowfocus", "--sync", xid], check=True)
    time.sleep(0.3)
    subprocess.run(["xdotool", "key", "space"], check=True)
    moved = poll(lambda: next((a.name for a in walk(app) if a.getRoleName() == "label"
                               and " / " in (a.name or "") and a.name[0].isdigit()
                               and not a.name.startswith("0:00.0")), None), 15)
    check(moved is not None, f"Space plays: the position moves ({moved!r})")

    # A GtkToggleButton is a "push button" to AT-SPI on GTK 4.8.
    apps_button = find(app, "push button", "Apps")
    if not check(apps_button is not None, "an 'Apps' toggle button"):
        return
    apps_button.queryAction().doAction(0)
    player = subprocess.Popen(["pw-play", tone])
    procs.append(player)
    row = poll(lambda: find(app, "label", "pw-play"), 60)
    if not check(row is not None, "the Apps panel lists pw-play"):
        return
    if shots:
        subprocess.run(["import", "-window", "root", os.path.join(shots, "busker-live-apps.png")],
                       check=True)
    check(poll(lambda: "test-speakers" in stream_peer_names(pw_dump(), "pw-play"), 10),
          "pw-play starts on the default device")

    music = find(app, "label", "Music")
    if not check(music is not None, "the strip 'Music' is on screen"):
        return
    drag(centre(row), centre(music))
    peers = poll(lambda: (lambda p: p if "busker.music" in p else None)(
        stream_peer_names(pw_dump(), "pw-play")), 10)
    check(peers is not None, f"dragged onto Music, pw-play plays into busker.music ({peers})")

    subprocess.run(["xdotool", "key", "ctrl+s"], check=True)
    def saved_apps():
        with open(project) as f:
            strips = json.load(f)["strips"]
        music_strip = next(s for s in strips if s["id"] == "music")
        return music_strip["source"].get("apps")
    apps = poll(saved_apps, 10)
    check(apps is not None and any(a.lower() == "pw-play" for a in apps),
          f"Ctrl+S writes the app into Music's apps ({apps})")

    default = find(app, "label", "Default output")
    if check(default is not None, "a 'Default output' drop target"):
        # The row is rebuilt when the stream moves ("On Music"): wait for it.
        row = poll(lambda: find(app, "label", "pw-play"), 10)
        if not check(row is not None, "pw-play's row is on screen again"):
            return
        drag(centre(row), centre(default))
        check(poll(lambda: stream_peer_names(pw_dump(), "pw-play") == {"test-speakers"}, 10),
              f"dragged onto Default output, pw-play is back on the speakers "
              f"({stream_peer_names(pw_dump(), 'pw-play')})")
    check(proc.poll() is None, "busker is still running (no fatal warning)")


with tempfile.TemporaryDirectory() as tmp:
    try:
        main(tmp)
    finally:
        atspi_util.stop(procs)
sys.exit(1 if failures else 0)
