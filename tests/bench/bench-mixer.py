#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mixer speed under Xvfb: first frame of a 64-strip project, and the CPU
the process uses while its meters move at the meter rate.

Runs tests/gui/mixer-harness (the mixer widget alone in a 1600x900
window) on a generated project of 64 strips (48 tracks, 8 subgroups,
7 aux buses, the master; inserts and sends on many). The meters are fed
by the harness's test-only source (--meters moving: a synthetic input,
not live audio; --meters silent: −inf). Columns: first frame = wall time
from spawn to the first paint, and the CPU time the process used until
then (steadier on a loaded machine); then over MEASURE_S seconds after
WARMUP_S: frames actually painted per second (the surface's "render"),
the process's CPU (user+system) as a share of one core, CPU per painted
frame, that per-frame cost times the meter rate ("CPU % at rate": what it
costs when no frame is skipped, which a loaded machine does), and the
main thread's heap allocations per painted frame (ALLOC_COUNT preloaded,
G_SLICE=always-malloc): all; those in the frame clock's update phase,
where the mixer's meter tick runs (Busker's meter reading and
ballistics, and whatever GTK does there); and what one strip's snapshot
asks GTK for (render nodes of its meter's bars). "nan" where nothing was
painted.
Prints figures; asserts nothing about time.
Usage: bench-mixer.py HARNESS [ALLOC_COUNT.so]   (inside tests/gui/run-under-xvfb)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

harness = sys.argv[1]
alloc_count = sys.argv[2] if len(sys.argv) > 2 else None
WARMUP_S = float(os.environ.get("BENCH_WARMUP_S", "2"))
MEASURE_S = float(os.environ.get("BENCH_MEASURE_S", "5"))


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


def run(path, renderer, meters, rate):
    env = dict(os.environ, GSK_RENDERER=renderer)
    if alloc_count:
        env.update(LD_PRELOAD=alloc_count, G_SLICE="always-malloc")
    args = [harness, path, "--size", "1600x900", "--meter-rate", str(rate),
            "--measure-after", str(WARMUP_S), "--quit-after", str(WARMUP_S + MEASURE_S)]
    if meters:
        args += ["--meters", meters]
    t0 = time.monotonic()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline().split()
        wall_ms = (time.monotonic() - t0) * 1000
        cpu_first_ms = float(first[3]) if first and first[0] == "first-frame-ms" else float("nan")
        out = proc.stdout.read().split()
        proc.wait(timeout=WARMUP_S + MEASURE_S + 60)
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
    # "measured frames N painted P cpu-ms C wall-ms W"
    # ["allocations A update U paint Q strip-snapshot S"]
    frames = float(out[out.index("painted") + 1])
    cpu_ms = float(out[out.index("cpu-ms") + 1])
    span_ms = float(out[out.index("wall-ms") + 1])
    fps = frames / span_ms * 1000
    cpu = cpu_ms / span_ms * 100
    # What the same work per frame costs when every frame the rate asks for
    # is painted (a loaded machine skips frames).
    per_frame = (cpu_ms / frames) if frames else 0.0
    at_rate = min(100.0, per_frame * rate / 10) if meters == "moving" else cpu
    allocs = tick = strip = float("nan")
    if "allocations" in out and frames:
        allocs = float(out[out.index("allocations") + 1]) / frames
        tick = float(out[out.index("update") + 1]) / frames
        strip = float(out[out.index("strip-snapshot") + 1])
    return wall_ms, cpu_first_ms, fps, cpu, per_frame, at_rate, allocs, tick, strip


with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "bench64.busker")
    with open(path, "w") as f:
        json.dump(project_64(), f)
    print(f"64-strip project, 1600x900 window, Xvfb; CPU over {MEASURE_S:g} s after {WARMUP_S:g} s")
    print(f"{'renderer':8} {'meters':8} {'rate':>5} {'first frame':>12} {'(its CPU)':>10} "
          f"{'painted/s':>9} {'CPU %':>6} {'CPU/frame':>10} {'CPU % at rate':>14} "
          f"{'allocs/frame':>12} {'update':>8} {'per strip':>9}")
    cases = [("gl", "moving", 60), ("gl", "moving", 30), ("cairo", "moving", 60),
             ("cairo", "moving", 30), ("gl", "silent", 60), ("cairo", "silent", 60),
             ("gl", None, 60), ("cairo", None, 60)]
    # BENCH_CASES="gl:moving:60,cairo:none:60" runs just those.
    if os.environ.get("BENCH_CASES"):
        cases = [(r, None if m == "none" else m, int(h))
                 for r, m, h in (c.split(":") for c in os.environ["BENCH_CASES"].split(","))]
    firsts = []
    for renderer, meters, rate in cases:
        wall, cpu_first, fps, cpu, per_frame, at_rate, allocs, tick, strip = run(path, renderer, meters, rate)
        firsts.append((wall, cpu_first))
        print(f"{renderer:8} {meters or 'none':8} {rate:5} {wall:9.0f} ms {cpu_first:7.0f} ms "
              f"{fps:9.1f} {cpu:6.1f} {per_frame:7.2f} ms {at_rate:14.1f} "
              f"{allocs:12.0f} {tick:8.1f} {strip:9.1f}", flush=True)
    walls = sorted(w for w, _ in firsts)
    cpus = sorted(c for _, c in firsts)
    print(f"first frame over {len(firsts)} starts: wall best {walls[0]:.0f} ms, median "
          f"{walls[len(walls) // 2]:.0f} ms; CPU best {cpus[0]:.0f} ms, median {cpus[len(cpus) // 2]:.0f} ms")
