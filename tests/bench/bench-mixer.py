#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mixer speed under Xvfb: first frame of a 64-strip project, and the CPU
the process uses while its meters move at the meter rate.

Runs tests/gui/mixer-harness (the mixer widget alone in a 1600x900
window) on a generated project of 64 strips (48 tracks, 8 subgroups,
7 aux buses, the master; inserts and sends on many). The meters are fed
by the harness's test-only source (--meters moving: a synthetic input,
not live audio; --meters silent: −inf). CPU is the process's user+system
time over MEASURE_S seconds after WARMUP_S, as a share of one core.
Prints figures; asserts nothing about time.
Usage: bench-mixer.py HARNESS   (inside tests/gui/run-under-xvfb)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

harness = sys.argv[1]
WARMUP_S = float(os.environ.get("BENCH_WARMUP_S", "2"))
MEASURE_S = float(os.environ.get("BENCH_MEASURE_S", "5"))
TICK = os.sysconf("SC_CLK_TCK")


def project_64():
    colors = ["#e01b24", "#ff7800", "#f6d32d", "#33d17a", "#3584e4", "#9141ac", "#986a44"]
    strips = []
    for i in range(8):
        strips.append({"id": f"group{i}", "kind": "subgroup", "name": f"Group {i + 1}",
                       "color": colors[i % 7],
                       "inserts": [{"type": "compressor"}]})
    for i in range(7):
        strips.append({"id": f"aux{i}", "kind": "aux", "name": f"Aux {i + 1}",
                       "inserts": [{"type": "reverb" if i % 2 == 0 else "delay"}]})
    tracks = []
    for i in range(48):
        track = {"id": f"t{i}", "kind": "track", "name": f"Track {i + 1}",
                 "color": colors[i % 7], "gain_db": -6,
                 "source": {"type": "file", "path": f"stems/t{i}.wav"},
                 "output": f"group{i % 8}"}
        if i % 2 == 0:
            track["inserts"] = [{"type": "eq"}]
        if i % 3 == 0:
            track["sends"] = [{"to": f"aux{i % 7}", "level_db": -12}]
        tracks.append(track)
    strips = tracks + strips + [{"id": "master", "kind": "master", "name": "Master",
                                 "inserts": [{"type": "limiter"}]}]
    return {"format": 1, "name": "Bench 64", "sample_rate": 48000, "tempo_bpm": 120,
            "strips": strips}


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def run(path, renderer, meters, rate):
    env = dict(os.environ, GSK_RENDERER=renderer)
    args = [harness, path, "--size", "1600x900", "--meter-rate", str(rate)]
    if meters:
        args += ["--meters", meters]
    t0 = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        wall_ms = (time.monotonic() - t0) * 1000
        inner_ms = float(line.split()[1]) if line.startswith("first-frame-ms") else float("nan")
        time.sleep(WARMUP_S)
        c0, w0 = cpu_ticks(proc.pid), time.monotonic()
        time.sleep(MEASURE_S)
        c1, w1 = cpu_ticks(proc.pid), time.monotonic()
        cpu = (c1 - c0) / TICK / (w1 - w0) * 100
    finally:
        proc.terminate()
        proc.wait()
    return wall_ms, inner_ms, cpu


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "bench64.busker")
    with open(path, "w") as f:
        json.dump(project_64(), f)
    print(f"64-strip project, 1600x900 window, Xvfb; CPU over {MEASURE_S:g} s after {WARMUP_S:g} s")
    print(f"{'renderer':8} {'meters':8} {'rate':>5} {'first frame (spawn→paint)':>26} {'(in-process)':>13} {'CPU % of a core':>16}")
    cases = [("gl", "moving", 60), ("gl", "moving", 30), ("cairo", "moving", 60),
             ("cairo", "moving", 30), ("gl", "silent", 60), ("cairo", "silent", 60),
             ("gl", None, 60), ("cairo", None, 60)]
    for renderer, meters, rate in cases:
        wall, inner, cpu = run(path, renderer, meters, rate)
        print(f"{renderer:8} {meters or 'none':8} {rate:5} {wall:23.0f} ms {inner:10.0f} ms {cpu:15.1f}",
              flush=True)
