#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""busker-export on the command line, against FORMAT.md's contract.

Usage: test-cli.py BUSKER_EXPORT DEMO_PROJECT

Sources are written here with the wave module; results are checked with
independent tools: Python's wave reader, sox for peaks and decoding, and
libebur128 called through ctypes for loudness. Every failure case checks the exit status,
exactly one line on stderr that names the file, nothing at the target and
an existing target left untouched.
"""
import array
import ctypes
import ctypes.util
import json
import math
import os
import re
import resource
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import wave

EXE = None
DEMO = None
RATE = 48000


def write_wav(path, seconds, freq=440.0, amp=0.3, rate=RATE):
    """16-bit stereo sine; built from one second repeated, so long files are cheap."""
    one = bytearray()
    for i in range(rate):
        v = int(round(amp * 32767 * math.sin(2 * math.pi * freq * i / rate)))
        one += struct.pack('<hh', v, -v // 2)
    whole, frac = divmod(seconds, 1)
    data = bytes(one) * int(whole) + bytes(one[:4 * int(frac * rate)])
    with wave.open(path, 'wb') as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data)


def wav_frames(path):
    with wave.open(path, 'rb') as w:
        return w.getnframes(), w.getframerate()


def ebu_loudness(path):
    """Integrated loudness and true peak: sox decodes, libebur128 (through
    ctypes, not through Busker) measures."""
    lib = ctypes.CDLL(ctypes.util.find_library('ebur128') or 'libebur128.so.1')
    lib.ebur128_init.restype = ctypes.c_void_p
    lib.ebur128_init.argtypes = [ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
    lib.ebur128_add_frames_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    lib.ebur128_loudness_global.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_double)]
    lib.ebur128_true_peak.argtypes = [ctypes.c_void_p, ctypes.c_uint,
                                      ctypes.POINTER(ctypes.c_double)]
    lib.ebur128_destroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    rate = int(subprocess.run(['soxi', '-r', path], capture_output=True, text=True,
                              check=True).stdout)
    raw = subprocess.run(['sox', path, '-t', 'f32', '-c', '2', '-'], capture_output=True,
                         check=True).stdout
    samples = array.array('f', raw)
    mode_i, mode_true_peak = 1 << 2 | 1, 1 << 5 | 1 << 4 | 1  # ebur128.h
    st = ctypes.c_void_p(lib.ebur128_init(2, rate, mode_i | mode_true_peak))
    buf = (ctypes.c_float * len(samples)).from_buffer(samples)
    lib.ebur128_add_frames_float(st, buf, len(samples) // 2)
    lufs, p0, p1 = ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    lib.ebur128_loudness_global(st, ctypes.byref(lufs))
    lib.ebur128_true_peak(st, 0, ctypes.byref(p0))
    lib.ebur128_true_peak(st, 1, ctypes.byref(p1))
    lib.ebur128_destroy(ctypes.byref(st))
    return lufs.value, 20 * math.log10(max(p0.value, p1.value))


def sox_peak_db(path):
    out = subprocess.run(['sox', path, '-n', 'stats'], capture_output=True, text=True,
                         check=True).stderr
    return float(re.search(r'Pk lev dB\s+(-?[\d.]+)', out).group(1))


def project(strips, rate=RATE):
    return {'format': 1, 'name': 'cli test', 'sample_rate': rate, 'tempo_bpm': 120,
            'strips': strips}


def track(id_, path, output='master', **kw):
    s = {'id': id_, 'kind': 'track', 'source': {'type': 'file', 'path': path}, 'output': output}
    s.update(kw)
    return s


class Cli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='busker-cli-')
        write_wav(self.path('a.wav'), 2.0, 440, 0.3)
        write_wav(self.path('b.wav'), 1.5, 1000, 0.2)
        self.proj = self.write_project(project([
            track('a', 'a.wav', 'grp'),
            track('b', 'b.wav', 'grp', sends=[{'to': 'fx', 'level_db': -6}]),
            {'id': 'grp', 'kind': 'subgroup', 'output': 'master'},
            {'id': 'fx', 'kind': 'aux', 'output': 'master'},
            {'id': 'master', 'kind': 'master'},
        ]))

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def write_project(self, obj, name='p.busker'):
        p = self.path(name)
        with open(p, 'w') as f:
            json.dump(obj, f)
        return p

    def run_export(self, *args, **kw):
        return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300, **kw)

    def assert_ok(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)

    def assert_fails(self, r, status, names):
        self.assertEqual(r.returncode, status, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        self.assertIn(names, lines[0])

    def assert_only(self, *names):
        """Nothing else in the folder: no output, no temporary left behind."""
        self.assertEqual(sorted(os.listdir(self.dir)), sorted(names))

    # ---- success ----

    def test_export_wav(self):
        out = self.path('mix.wav')
        r = self.run_export(self.proj, '-o', out, '--bits', '16')
        self.assert_ok(r)
        self.assertEqual(r.stderr, '')  # no progress when stderr is not a terminal
        self.assertEqual(wav_frames(out), (2 * RATE, RATE))

    def test_format_from_extension_and_rate(self):
        out = self.path('mix.flac')
        self.assert_ok(self.run_export(self.proj, '-o', out, '--rate', '44100'))
        info = subprocess.run(['soxi', out], capture_output=True, text=True).stdout
        self.assertIn('FLAC', info)
        self.assertRegex(info, r'Sample Rate\s+:\s+44100')
        self.assertRegex(info, r'Duration\s+:\s+00:00:02.00 = 88200 samples')

    def test_range(self):
        out = self.path('part.wav')
        self.assert_ok(self.run_export(self.proj, '-o', out, '--range', '0.5:1.75'))
        self.assertEqual(wav_frames(out), (60000, RATE))

    def test_stems(self):
        stems = self.path('stems')
        self.assert_ok(self.run_export(self.proj, '--stems', stems))
        self.assertEqual(sorted(os.listdir(stems)), ['fx.wav', 'grp.wav', 'mix.wav'])

    def test_normalize_peak(self):
        out = self.path('peak.wav')
        self.assert_ok(self.run_export(self.proj, '-o', out, '--bits', '32f',
                                       '--normalize-peak', '-3'))
        self.assertAlmostEqual(sox_peak_db(out), -3.0, delta=0.02)

    def test_normalize_lufs(self):
        out = self.path('lufs.wav')
        self.assert_ok(self.run_export(self.proj, '-o', out, '--bits', '24',
                                       '--normalize-lufs', '-18', '--true-peak-ceiling', '-1'))
        lufs, peak = ebu_loudness(out)
        self.assertAlmostEqual(lufs, -18.0, delta=0.3)
        self.assertLessEqual(peak, -1.0)

    def test_analyze_json_matches_libebur128(self):
        out = self.path('ref.wav')
        self.assert_ok(self.run_export(self.proj, '-o', out, '--bits', '32f'))
        r = self.run_export(self.proj, '--analyze', '--json')
        self.assert_ok(r)
        report = json.loads(r.stdout)
        self.assertEqual(set(report), {'integrated_lufs', 'loudness_range_lu', 'true_peak_dbtp',
                                       'sample_peak_dbfs', 'mono_loss_lu', 'silent',
                                       'mono_cancels', 'warnings'})
        self.assertEqual((report['silent'], report['mono_cancels'], report['warnings']),
                         (False, False, []))
        lufs, peak = ebu_loudness(out)
        self.assertAlmostEqual(report['integrated_lufs'], lufs, delta=0.01)
        self.assertAlmostEqual(report['true_peak_dbtp'], peak, delta=0.01)
        self.assertAlmostEqual(report['sample_peak_dbfs'], sox_peak_db(out), delta=0.02)

    def test_demo_just_works(self):
        out = self.path('demo.wav')
        r = self.run_export(DEMO, '-o', out, '-q')
        self.assert_ok(r)
        frames, rate = wav_frames(out)
        self.assertGreaterEqual(frames / rate, 29.0)
        self.assertLess(sox_peak_db(out), 0.0)

    # ---- bad usage and bad input: exit 2 ----

    def test_bad_usage(self):
        out = self.path('mix.wav')
        for args, names in [
            (['--frobnicate'], '--frobnicate'),
            ([], 'PROJECT'),
            (['-o', out, '--format', 'wma'], 'wma'),
            (['-o', self.path('mix.mp3'), '--bitrate', '100'], 'MP3 bit rate'),
            (['-o', self.path('mix.mp3'), '--rate', '96000'], 'MP3'),
            (['-o', out, '--bitrate', '128'], '--bitrate'),
            (['-o', out, '--range', '0:2e14'], '2e+14'),
            (['-o', self.path('mix.flac'), '--bits', '32f'], 'FLAC'),
            (['-o', self.path('mix.xyz')], 'mix.xyz'),
            (['-o', out, '--rate', 'fast'], '--rate'),
            (['-o', out, '--range', '3:1'], 'range'),
            (['-o', out, '--normalize-peak', '-1', '--normalize-lufs', '-14'], 'normalize'),
        ]:
            with self.subTest(args=args):
                self.assert_fails(self.run_export(*([self.proj] if args else []), *args),
                                  2, names)
        self.assert_only('a.wav', 'b.wav', 'p.busker')

    def check_bad_source(self, writer, name):
        writer(self.path(name))
        proj = self.write_project(project([track('x', name), {'id': 'master', 'kind': 'master'}]),
                                  'bad.busker')
        out = self.path('mix.wav')
        with open(out, 'w') as f:
            f.write('precious')
        self.assert_fails(self.run_export(proj, '-o', out), 2, name)
        with open(out) as f:
            self.assertEqual(f.read(), 'precious')
        self.assert_only('a.wav', 'b.wav', 'p.busker', 'bad.busker', 'mix.wav',
                         *([name] if os.path.exists(self.path(name)) else []))

    def test_missing_source(self):
        self.check_bad_source(lambda p: None, 'gone.wav')

    def test_non_audio_source(self):
        def text(p):
            with open(p, 'w') as f:
                f.write('not audio at all\n' * 20)
        self.check_bad_source(text, 'text.wav')

    def test_truncated_source(self):
        def truncated(p):
            write_wav(p, 1.0)
            with open(p, 'r+b') as f:
                f.truncate(30)  # cut inside the header
        self.check_bad_source(truncated, 'cut.wav')

    def test_broken_project(self):
        bad = self.path('broken.busker')
        with open(bad, 'w') as f:
            f.write('{"format": 1, "strips": [')
        out = self.path('mix.wav')
        self.assert_fails(self.run_export(bad, '-o', out), 2, 'broken.busker')
        self.assert_fails(self.run_export(self.path('none.busker'), '-o', out), 2, 'none.busker')
        self.assert_only('a.wav', 'b.wav', 'p.busker', 'broken.busker')

    def test_unwritable_target(self):
        for out in [self.path('no', 'such', 'dir', 'mix.wav'), '/proc/busker-test.wav']:
            with self.subTest(out=out):
                self.assert_fails(self.run_export(self.proj, '-o', out), 2, out)
        self.assert_only('a.wav', 'b.wav', 'p.busker')

    # ---- runtime failures: exit 1 ----

    def test_full_device(self):
        self.assert_fails(self.run_export(self.proj, '-o', '/dev/full', '--format', 'wav'), 1, '/dev/full')

    def test_file_size_limit(self):
        """A disk that fills up mid-file: the target stays as it was."""
        out = self.path('mix.wav')
        with open(out, 'w') as f:
            f.write('precious')

        # The 2 s float render (768 kB) fits under the limit, the 192 kHz
        # 24-bit file (2.3 MB) does not.
        def limit():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (1000000, 1000000))
        r = self.run_export(self.proj, '-o', out, '--rate', '192000', '--bits', '24',
                            preexec_fn=limit)
        self.assert_fails(r, 1, 'mix.wav')
        with open(out) as f:
            self.assertEqual(f.read(), 'precious')
        self.assert_only('a.wav', 'b.wav', 'p.busker', 'mix.wav')

    def test_sigint_leaves_nothing(self):
        write_wav(self.path('long.wav'), 600.0, 220, 0.3)
        proj = self.write_project(project([track('x', 'long.wav'), {'id': 'master', 'kind': 'master'}]),
                                  'long.busker')
        out = self.path('long-mix.flac')
        p = subprocess.Popen([EXE, proj, '-o', out, '--rate', '96000'],
                             stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=300)
        if p.returncode == 0:
            self.skipTest('the export finished before the signal')
        self.assertEqual(p.returncode, 1, err)
        self.assertEqual(len(err.splitlines()), 1, err)
        self.assertIn('long-mix.flac', err)
        self.assert_only('a.wav', 'b.wav', 'p.busker', 'long.wav', 'long.busker')


if __name__ == '__main__':
    EXE, DEMO = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], '-v'])
