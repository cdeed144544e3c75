#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The mixer as assistive technology sees it (AT-SPI, pyatspi).

Starts tests/gui/mixer-harness on the demo project and walks its widget
tree: every slider, button and toggle has a name; their numbers match
what data/demo/demo.busker implies (counted here from the file, not from
the code); names follow docs/accessibility.md ("Kick fader", "Snare send
to Reverb level", "Vocal EQ"); sliders expose a Value in their unit (the
Kick fader reads the file's -4 dB).
Usage: test-mixer-atspi.py HARNESS DEMO.busker
"""
import json
import os
import re
import subprocess
import sys
import time

import pyatspi

from atspi_util import check, failures, find_app, walk

harness, demo = sys.argv[1], sys.argv[2]
# What the file implies.
with open(demo) as f:
    project = json.load(f)
strips = project["strips"]
names = {s["id"]: s.get("name", s["id"]) for s in strips}
n_strips = len(strips)
n_sends = sum(len(s.get("sends", [])) for s in strips)
n_inserts = sum(len(s.get("inserts", [])) for s in strips)
n_master = sum(1 for s in strips if s["kind"] == "master")
# polarity, mute, solo (not on the master) per strip; bypass per insert;
# pre-fader and mute per send. GTK 4.8 gives toggle buttons the role
# "push button" (no "toggle button" before 4.10), so they count there.
n_toggles = 3 * n_strips - n_master + n_inserts + 2 * n_sends
expected = {
    # fader, pan, trim per strip; level and pan per send
    "slider": 3 * n_strips + 2 * n_sends,
    # the toggles; per insert its name and remove; per send remove; per
    # strip "add insert" and (not the master) "add send" menu buttons,
    # each seen twice (GtkMenuButton and its inner button); the output
    # button (not on the master)
    # the colour button per strip
    "push button": (n_toggles + 2 * n_inserts + n_sends + 2 * n_strips + n_strips
                    + 2 * (n_strips - n_master) + (n_strips - n_master)),
}

env = dict(os.environ, G_DEBUG="fatal-warnings")
proc = subprocess.Popen([harness, demo], env=env)
try:
    app = find_app(proc)
    check(app is not None, "the mixer shows a window over AT-SPI")
    if app is None:
        sys.exit(1)
    # The tree fills in as the window maps.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        controls = [a for a in walk(app)
                    if a.getRoleName() in ("slider", "push button", "toggle button")]
        if sum(1 for a in controls if a.getRoleName() == "slider") >= expected["slider"]:
            break
        time.sleep(0.2)

    by_role = {}
    for a in controls:
        by_role.setdefault(a.getRoleName(), []).append(a)
    for role, count in expected.items():
        got = len(by_role.get(role, []))
        check(got == count, f"{count} {role}s (from the file), found {got}")
    print(f"counted: {', '.join(f'{len(v)} {k}s' for k, v in sorted(by_role.items()))}")

    unnamed = [a.getRoleName() for a in controls
               if not a.name or a.name.startswith(("Gtk", "Adw", "Busker"))]
    check(not unnamed, f"every slider, button and toggle has a name (unnamed: {unnamed})")

    strip_names = sorted(names.values(), key=len, reverse=True)
    strip_alt = "|".join(re.escape(n) for n in strip_names)
    slider_re = re.compile(rf"^({strip_alt}) (fader|pan|trim|send to ({strip_alt}) (level|pan))$")
    bad = [a.name for a in by_role.get("slider", []) if not slider_re.match(a.name)]
    check(not bad, f"every slider is named '<strip> <control>' (others: {bad})")
    # docs/accessibility.md's short effect names
    effects = "(EQ|Compressor|Multiband|Limiter|Saturation|Delay|Reverb|Width|Transient|Gain)"
    button_re = re.compile(rf"^({strip_alt}) (colour|polarity|mute|solo|output|add insert|add send"
                           rf"|send to ({strip_alt}) (pre-fader|mute|remove)"
                           rf"|{effects}( [0-9]+)?( bypass| remove)?)$")
    bad = [a.name for a in by_role.get("push button", []) if not button_re.match(a.name)]
    check(not bad, f"every button is named '<strip> <control>' (others: {bad})")
    toggles = [a for a in by_role.get("push button", [])
               if re.search(r" (polarity|mute|solo|pre-fader|bypass)$", a.name)]
    check(len(toggles) == n_toggles, f"{n_toggles} toggles by name, found {len(toggles)}")

    named = {a.name: a for a in controls}
    for name, role in [("Kick fader", "slider"), ("Kick pan", "slider"), ("Kick trim", "slider"),
                       ("Kick mute", "push button"), ("Kick solo", "push button"),
                       ("Snare send to Reverb level", "slider"),
                       ("Vocal EQ", "push button"), ("Vocal Compressor", "push button")]:
        a = named.get(name)
        check(a is not None and a.getRoleName() == role, f"{role} {name!r}")
    check(named.get("Kick output") is not None, "the output selector 'Kick output'")
    fader = named.get("Kick fader")
    if fader is not None:
        value = fader.queryValue()
        check(abs(value.currentValue - (-4.0)) < 1e-6,
              f"'Kick fader' reads -4 dB like the file ({value.currentValue})")
        check(value.maximumValue == 12.0, f"the fader's top is +12 dB ({value.maximumValue})")
    check(proc.poll() is None, "the harness is still running (no fatal warning)")
finally:
    if proc.poll() is None:
        proc.terminate()
    proc.wait()

sys.exit(1 if failures else 0)
