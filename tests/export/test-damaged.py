#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""busker-export on damaged and awkward input (issue 8).

Usage: test-damaged.py BUSKER_EXPORT CASES_DIR DEMO_PROJECT

CASES_DIR holds the real-world cases (tests/export/cases, one folder each,
run from inside the folder as a user would); every case is checked against
its right value, and each kind has siblings made here. Results are read
with tools that are not Busker: a WAV parser written here (for float files
that hold NaN, which sox cannot read), sox, ffmpeg (decoding, ebur128,
ffprobe) and libebur128 through ctypes.
"""
import array
import ctypes
import ctypes.util
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

EXE = CASES = DEMO = None
RATE = 48000
MINUS_3DB = math.sqrt(0.5)

# ---- files ----


def wav_bytes(channels, rate, frames_bytes, fmt=1, bits=16, data_size=None, riff_size=None,
              mask=None):
    """A WAV file; data_size/riff_size override the header's sizes (the lies
    recorders leave); mask makes it WAVE_FORMAT_EXTENSIBLE with that channel mask."""
    block = channels * bits // 8
    if mask is None:
        fmt_chunk = struct.pack('<HHIIHH', fmt, channels, rate, rate * block, block, bits)
    else:
        sub = struct.pack('<IHH', fmt, 0x0000, 0x0010) + bytes.fromhex('800000aa00389b71')
        fmt_chunk = struct.pack('<HHIIHHHHI', 0xFFFE, channels, rate, rate * block, block, bits,
                                22, bits, mask) + sub
    body = b'WAVE' + b'fmt ' + struct.pack('<I', len(fmt_chunk)) + fmt_chunk
    size = len(frames_bytes) if data_size is None else data_size
    body += b'data' + struct.pack('<I', size) + frames_bytes
    riff = len(body) if riff_size is None else riff_size
    return b'RIFF' + struct.pack('<I', riff) + body


def pcm16(samples):
    return struct.pack('<%dh' % len(samples), *[max(-32768, min(32767, round(s * 32767)))
                                                 for s in samples])


def float32(samples):
    return struct.pack('<%df' % len(samples), *samples)


def read_wav(path):
    """(channels, rate, interleaved floats) of PCM 16/24 or float WAV, NaN kept."""
    with open(path, 'rb') as f:
        d = f.read()
    assert d[:4] in (b'RIFF', b'RF64') and d[8:12] == b'WAVE', path
    off, fmt, data = 12, None, None
    while off + 8 <= len(d):
        cid, size = d[off:off + 4], struct.unpack('<I', d[off + 4:off + 8])[0]
        if cid == b'fmt ':
            fmt = struct.unpack('<HHIIHH', d[off + 8:off + 24])
            if fmt[0] == 0xFFFE:
                fmt = (struct.unpack('<H', d[off + 32:off + 34])[0],) + fmt[1:]
        elif cid == b'data':
            if size in (0, 0xFFFFFFFF):
                size = len(d) - off - 8
            data = d[off + 8:off + 8 + size]
            break
        off += 8 + size + (size & 1)
    tag, ch, rate, _, _, bits = fmt
    if tag == 3:
        vals = array.array('f', data[:len(data) // 4 * 4])
    elif bits == 16:
        vals = [v / 32768 for v in array.array('h', data[:len(data) // 2 * 2])]
    elif bits == 24:
        vals = [int.from_bytes(data[i:i + 3], 'little', signed=True) / 8388608
                for i in range(0, len(data) // 3 * 3, 3)]
    else:
        raise AssertionError('unsupported WAV %r' % (fmt,))
    return ch, rate, list(vals)


def ffmpeg_decode(path, channels=2):
    """Frames of float samples as ffmpeg decodes the file (its own decoders)."""
    raw = subprocess.run(['ffmpeg', '-v', 'error', '-i', path, '-f', 'f32le', '-ac',
                          str(channels), '-'], capture_output=True, check=True).stdout
    return array.array('f', raw)


def ffmpeg_ebur128(path):
    """(integrated LUFS, true peak dBTP) as ffmpeg's ebur128 filter measures them."""
    err = subprocess.run(['ffmpeg', '-nostats', '-hide_banner', '-i', path, '-af',
                          'ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
                         capture_output=True, text=True).stderr
    summary = err[err.rindex('Summary:'):]
    lufs = float(re.search(r'I:\s+(-?[\d.]+|-inf) LUFS', summary).group(1))
    peak = float(re.search(r'Peak:\s+(-?[\d.]+|-inf) dBFS', summary).group(1))
    return lufs, peak


def ebu_integrated(samples, rate, channels=2):
    """Integrated loudness by libebur128 through ctypes (not through Busker)."""
    lib = ctypes.CDLL(ctypes.util.find_library('ebur128') or 'libebur128.so.1')
    lib.ebur128_init.restype = ctypes.c_void_p
    lib.ebur128_init.argtypes = [ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
    lib.ebur128_add_frames_float.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    lib.ebur128_loudness_global.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_double)]
    lib.ebur128_destroy.argtypes = [ctypes.POINTER(ctypes.c_void_p)]
    st = ctypes.c_void_p(lib.ebur128_init(channels, rate, 1 << 2 | 1))
    buf = array.array('f', samples)
    lib.ebur128_add_frames_float(st, (ctypes.c_float * len(buf)).from_buffer(buf),
                                 len(buf) // channels)
    out = ctypes.c_double()
    lib.ebur128_loudness_global(st, ctypes.byref(out))
    lib.ebur128_destroy(ctypes.byref(st))
    return out.value


def project(strips, rate=RATE):
    return {'format': 1, 'name': 'damaged', 'sample_rate': rate, 'tempo_bpm': 120,
            'strips': strips + [{'id': 'master', 'kind': 'master'}]}


def track(id_, path, **kw):
    s = {'id': id_, 'kind': 'track', 'source': {'type': 'file', 'path': path,
                                                 'offset_s': kw.pop('offset_s', 0)}}
    s.update(kw)
    return s


def sine(freq, seconds, amp=0.3, rate=RATE, phase=0.0):
    return [amp * math.sin(2 * math.pi * freq * i / rate + phase)
            for i in range(int(seconds * rate))]


def interleave(*chans):
    return [v for frame in zip(*chans) for v in frame]


class Base(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='busker-damaged-')

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def path(self, *names):
        return os.path.join(self.dir, *names)

    def write(self, name, data):
        with open(self.path(name), 'wb') as f:
            f.write(data)
        return self.path(name)

    def write_project(self, strips, name='p.busker', rate=RATE):
        with open(self.path(name), 'w') as f:
            json.dump(project(strips, rate), f)
        return self.path(name)

    def run_export(self, *args, cwd=None):
        return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300,
                              cwd=cwd)

    def case(self, name):
        """A copy of a case folder to run in (the cases are read-only)."""
        dst = self.path(name)
        shutil.copytree(os.path.join(CASES, name), dst)
        return dst

    def assert_ok(self, r):
        self.assertEqual(r.returncode, 0, r.stderr)

    def assert_fails(self, r, status, *words):
        self.assertEqual(r.returncode, status, r.stderr)
        lines = r.stderr.splitlines()
        self.assertEqual(len(lines), 1, r.stderr)
        for w in words:
            self.assertIn(w, lines[0])

    def export_float(self, proj, out='out.wav', *args, cwd=None):
        r = self.run_export(proj, '-o', self.path(out), '--bits', '32f', *args, cwd=cwd)
        self.assert_ok(r)
        return read_wav(self.path(out)), r.stderr

    def assert_close(self, got, want, tol=1e-6, what=''):
        self.assertEqual(len(got), len(want), what)
        worst = max((abs(a - b) for a, b in zip(got, want)), default=0.0)
        self.assertLess(worst, tol, what)


class NonFinite(Base):
    """Non-finite samples are replaced one by one, counted and reported."""

    def test_case_non_finite_samples(self):
        d = self.case('non-finite-samples')
        _, _, src = read_wav(os.path.join(d, 'nan.wav'))
        bad = [i for i, v in enumerate(src) if not math.isfinite(v)]
        self.assertEqual(len(bad), 3)
        (ch, rate, out), err = self.export_float('nan.busker', cwd=d)
        # Only the bad samples are lost: the rest comes through unchanged.
        want = [v if math.isfinite(v) else 0.0 for v in src]
        self.assert_close(out, want, 1e-6, 'output = source with the bad samples at 0')
        self.assertIn('Track “a” (nan.wav): 3 non-finite samples (NaN or infinity) at '
                      '0.021–0.062 s were replaced by silence', err)
        r = self.run_export('nan.busker', '--analyze', '--json', cwd=d)
        self.assert_ok(r)
        w = json.loads(r.stdout)['warnings']
        self.assertEqual(len(w), 1)
        self.assertEqual(w[0]['strip'], 'a')
        self.assertAlmostEqual(w[0]['start_s'], 1000 / 48000, delta=0.001)
        self.assertAlmostEqual(w[0]['end_s'], 3000 / 48000, delta=0.001)
        # The same sentence on stderr as in the report.
        self.assertIn(w[0]['message'], r.stderr)

    def test_one_channel_of_a_frame(self):
        left = sine(440, 0.5)
        right = sine(660, 0.5)
        left[7000] = float('inf')
        right[12000] = float('nan')
        self.write('lr.wav', wav_bytes(2, RATE, float32(interleave(left, right)), 3, 32))
        proj = self.write_project([track('lr', 'lr.wav')])
        (_, _, out), err = self.export_float(proj)
        left[7000] = right[12000] = 0.0
        self.assert_close(out, interleave(left, right), 1e-6)
        self.assertIn('2 non-finite samples (NaN or infinity) at 0.146–0.250 s', err)

    def test_resampled_source(self):
        """A NaN before soxr would smear over its filter; it is replaced first."""
        x = sine(1000, 0.5, rate=44100)
        x[10000] = float('nan')
        self.write('mono44.wav', wav_bytes(1, 44100, float32(x), 3, 32))
        proj = self.write_project([track('m', 'mono44.wav')])
        (_, rate, out), err = self.export_float(proj)
        self.assertEqual(rate, RATE)
        self.assertTrue(all(math.isfinite(v) for v in out))
        # Every 10 ms window keeps its energy: nothing was muted.
        left = out[0::2]
        for start in range(0, len(left) - 480, 480):
            rms = math.sqrt(sum(v * v for v in left[start:start + 480]) / 480)
            self.assertGreater(rms, 0.3 * MINUS_3DB / math.sqrt(2) * 0.9, start)
        self.assertIn('1 non-finite sample (NaN or infinity) at 0.227–0.227 s was replaced', err)


class LyingHeaders(Base):
    """WAV sizes that lie are read to the end of the file, with a warning."""

    def test_case_unfinalised_wav(self):
        d = self.case('unfinalised-wav')
        (ch, rate, out), err = self.export_float('unfinalised.busker', cwd=d)
        _, _, src = read_wav(os.path.join(d, 'unfinalised.wav'))  # reads to the end
        self.assertEqual(len(out) // 2, 4800)
        self.assert_close(out, src, 1e-6)
        self.assertIn('header was incomplete', err)
        # ffmpeg agrees on the length.
        self.assertEqual(len(ffmpeg_decode(os.path.join(d, 'unfinalised.wav'))) // 2, 4800)

    def check_lie(self, name, channels, bits, data_size, riff_size, words, frames=9600):
        x = sine(330, frames / RATE, 0.25)
        samples = x if channels == 1 else interleave(x, [-v for v in x])
        data = pcm16(samples) if bits == 16 else b''.join(
            int(round(v * 8388607)).to_bytes(3, 'little', signed=True) for v in samples)
        self.write(name, wav_bytes(channels, RATE, data, 1, bits, data_size, riff_size))
        proj = self.write_project([track('t', name)], name + '.busker')
        (_, _, out), err = self.export_float(proj, name + '.out.wav')
        self.assertEqual(len(out) // 2, frames, err)
        ref = [v * (MINUS_3DB if channels == 1 else 1.0) for v in x]
        self.assert_close(out[0::2], ref, 2e-4 if bits == 16 else 1e-6)
        for w in words:
            self.assertIn(w, err)
        self.assertIn('(%s)' % name, err)

    def test_placeholder_ffffffff(self):
        self.check_lie('ff.wav', 1, 24, 0xFFFFFFFF, 0xFFFFFFFF, ['placeholder 0xFFFFFFFF'])

    def test_placeholder_7fffffff(self):
        self.check_lie('7f.wav', 2, 16, 0x7FFFFFFF, 0x7FFFFFFF, ['placeholder 0x7FFFFFFF'])

    def test_zero_data_size_with_correct_riff(self):
        self.check_lie('zero.wav', 1, 16, 0, None, ['header was incomplete'])

    def test_header_promises_more(self):
        """A take cut short (the disk filled up): what is there is played."""
        self.check_lie('short.wav', 2, 16, 4 * 48000, None,
                       ['shorter than its header says (0.200 s instead of 1.000 s)'])


class Mp3(Base):
    """MP3 plays its whole length, as ffmpeg decodes it."""

    def check_mp3(self, mp3, rate, cwd=None, proj=None):
        channels = int(subprocess.run(['ffprobe', '-v', 'error', '-show_entries',
                                       'stream=channels', '-of', 'csv=p=0', mp3],
                                      capture_output=True, text=True, check=True).stdout)
        want = ffmpeg_decode(mp3, channels)
        proj = proj or self.write_project([track('m', os.path.basename(mp3))], 'mp3.busker',
                                          rate)
        (ch, out_rate, out), err = self.export_float(proj, 'mp3-out.wav', cwd=cwd)
        self.assertEqual(out_rate, rate)
        self.assertEqual(len(out) // 2, len(want) // channels)
        # Both decoders give the same samples (a mono file is panned -3 dB).
        g = MINUS_3DB if channels == 1 else 1.0
        worst = max(abs(a - g * b) for a, b in zip(out[0::2], want[0::channels]))
        self.assertLess(worst, 1e-4)
        return len(out) // 2

    def test_case_vbr_without_xing(self):
        d = self.case('vbr-mp3-without-xing')
        mp3 = os.path.join(d, 'vbr-noxing.mp3')
        frames = self.check_mp3(mp3, 44100, cwd=d, proj='vbr.busker')
        self.assertGreater(frames / 44100, 22.0)

    def make_mp3(self, name, args, seconds=12):
        wav = self.path(name + '.src.wav')
        # Quiet, then loud noise: a VBR encoder's frame sizes change a lot.
        subprocess.run(['sox', '-n', '-r', '48000', '-c', '2', wav, 'synth', str(seconds / 2),
                        'sine', '220', 'vol', '0.05', ':', 'synth', str(seconds / 2),
                        'pinknoise', 'vol', '0.5'], check=True)
        mp3 = self.path(name)
        subprocess.run(['ffmpeg', '-v', 'error', '-i', wav, '-c:a', 'libmp3lame', *args, mp3],
                       check=True)
        return mp3

    def test_vbr_stereo_48k_without_xing(self):
        mp3 = self.make_mp3('v.mp3', ['-q:a', '6', '-write_xing', '0'])
        self.assertGreater(self.check_mp3(mp3, RATE), 11.9 * RATE)

    def test_cbr_with_info_header(self):
        mp3 = self.make_mp3('c.mp3', ['-b:a', '128k'], 5)
        self.assertGreater(self.check_mp3(mp3, RATE), 4.9 * RATE)


class Channels(Base):
    """More than two channels are folded by ITU-R BS.775, LFE dropped."""

    def check_fold(self, name, chans, mask, gains, layout):
        n = int(0.2 * RATE)
        freqs = [200 + 150 * c for c in range(chans)]
        sig = [sine(f, 0.2, 0.1) for f in freqs]
        self.write(name, wav_bytes(chans, RATE, float32(interleave(*sig)), 3, 32, mask=mask))
        proj = self.write_project([track('s', name)], name + '.busker')
        (_, _, out), err = self.export_float(proj, name + '.out.wav')
        want_l = [sum(gains[c][0] * sig[c][i] for c in range(chans)) for i in range(n)]
        want_r = [sum(gains[c][1] * sig[c][i] for c in range(chans)) for i in range(n)]
        self.assert_close(out, interleave(want_l, want_r), 1e-5, name)
        self.assertIn('%d channels (%s' % (chans, layout), err)
        self.assertIn('ITU-R BS.775', err)

    def test_5_1_default_order(self):
        k = MINUS_3DB
        self.check_fold('51.wav', 6, None,
                        [(1, 0), (0, 1), (k, k), (0, 0), (k, 0), (0, k)],
                        'L R C LFE Lb Rb, the WAVE default order')

    def test_7_1_default_order(self):
        k = MINUS_3DB
        self.check_fold('71.wav', 8, None,
                        [(1, 0), (0, 1), (k, k), (0, 0), (k, 0), (0, k), (k, 0), (0, k)],
                        'L R C LFE Lb Rb Ls Rs')

    def test_3_0_from_channel_mask(self):
        k = MINUS_3DB
        # FL | FR | FC
        self.check_fold('30.wav', 3, 0x7, [(1, 0), (0, 1), (k, k)],
                        "L R C, the file's channel map")

    def test_quad_with_lfe_mask(self):
        k = MINUS_3DB
        # FL | FR | LFE | BC: the LFE goes, the back centre feeds both sides.
        self.check_fold('q.wav', 4, 0x1 | 0x2 | 0x8 | 0x100, [(1, 0), (0, 1), (0, 0), (k, k)],
                        "L R LFE Cb, the file's channel map")


class Loudness(Base):
    """Normalization lands within 0.3 LU of a reachable target (ffmpeg's
    ebur128 measures), refuses an unreachable one and the BS.1770 gate."""

    def check_reached(self, proj, target, ceiling=-1.0, cwd=None, name='n.wav'):
        out = self.path(name)
        r = self.run_export(proj, '-o', out, '--normalize-lufs', str(target),
                            '--true-peak-ceiling', str(ceiling), cwd=cwd)
        self.assert_ok(r)
        lufs, peak = ffmpeg_ebur128(out)
        self.assertLessEqual(abs(lufs - target), 0.3, r.stderr)
        self.assertLessEqual(peak, ceiling + 0.1)  # ffmpeg prints one decimal
        return lufs

    def check_unreachable(self, proj, target, ceiling='-1', cwd=None):
        out = self.path('x.wav')
        r = self.run_export(proj, '-o', out, '--normalize-lufs', str(target),
                            '--true-peak-ceiling', ceiling, cwd=cwd)
        self.assert_fails(r, 1, out, 'cannot be reached under the true-peak ceiling of %.1f dBTP'
                          % float(ceiling))
        self.assertFalse(os.path.exists(out))
        loudest = float(re.search(r'the loudest this mix gets is (-?[\d.]+) LUFS',
                                  r.stderr).group(1))
        self.assertLess(loudest, target - 0.3)
        return loudest

    def test_case_target_unreachable(self):
        d = self.case('loudness-target-unreachable')
        for target in (-7, -5):
            loudest = self.check_unreachable('norm.busker', target, cwd=d)
        # The level it names is one it can reach.
        self.check_reached('norm.busker', loudest, cwd=d)
        self.check_reached('norm.busker', -12, cwd=d)

    def test_demo_at_minus_9_and_14(self):
        for target in (-9, -14):
            lufs = self.check_reached(DEMO, target, name='demo%d.wav' % target)
            print('demo normalised to %d LUFS: ffmpeg ebur128 measures %.1f LUFS'
                  % (target, lufs), file=sys.stderr)

    def test_demo_unreachable(self):
        self.check_unreachable(DEMO, -5)

    def test_lower_ceiling_makes_it_unreachable(self):
        d = self.case('loudness-target-unreachable')
        self.check_unreachable('norm.busker', -10, '-6', cwd=d)

    def test_case_below_gate(self):
        d = self.case('below-loudness-gate')
        _, rate, src = read_wav(os.path.join(d, 'quiet.wav'))
        # libebur128 itself finds no gated loudness in the source.
        self.assertFalse(math.isfinite(ebu_integrated(src, rate, 1)))
        out = self.path('q.wav')
        r = self.run_export('quiet.busker', '-o', out, '--normalize-lufs', '-23', cwd=d)
        self.assert_fails(r, 2, out, 'below the −70 LUFS absolute gate of ITU-R BS.1770')
        self.assertNotIn('silent', r.stderr)
        self.assertFalse(os.path.exists(out))
        report = json.loads(self.run_export('quiet.busker', '--analyze', '--json',
                                            cwd=d).stdout)
        self.assertIsNone(report['integrated_lufs'])
        self.assertFalse(report['silent'])
        self.assertAlmostEqual(report['sample_peak_dbfs'], -75.0, delta=0.1)

    def test_quiet_noise_below_gate_and_silence(self):
        noise = [0.0001 * math.sin(i * 1.7) * math.cos(i * 0.31) for i in range(RATE)]
        self.write('n80.wav', wav_bytes(1, RATE, float32(noise), 3, 32))
        self.write('zero.wav', wav_bytes(1, RATE, float32([0.0] * RATE), 3, 32))
        for name, words in [('n80.wav', 'below the −70 LUFS absolute gate'),
                            ('zero.wav', 'the mix is silent')]:
            proj = self.write_project([track('t', name)], name + '.busker')
            r = self.run_export(proj, '-o', self.path('o.wav'), '--normalize-lufs', '-16')
            self.assert_fails(r, 2, words)
        report = json.loads(self.run_export(self.path('zero.wav.busker'), '--analyze',
                                            '--json').stdout)
        self.assertEqual((report['silent'], report['mono_cancels'], report['mono_loss_lu']),
                         (True, False, None))

    def test_mono_cancellation_is_not_silence(self):
        x = sine(500, 1.0)
        self.write('anti.wav', wav_bytes(2, RATE, float32(interleave(x, [-v for v in x])), 3, 32))
        proj = self.write_project([track('t', 'anti.wav')])
        report = json.loads(self.run_export(proj, '--analyze', '--json').stdout)
        self.assertEqual((report['silent'], report['mono_cancels'], report['mono_loss_lu']),
                         (False, True, None))
        self.assertIsNotNone(report['integrated_lufs'])
        text = self.run_export(proj, '--analyze').stdout
        self.assertIn('cancels completely', text)


class Clipping(Base):
    """A file that cannot hold the rendered level says so (stems get the
    mix's normalization gain without its limiter; a hot mix in 16/24 bits)."""

    def hot_project(self, gain_db):
        # A mono track at the centre is -3 dB: +12 dB makes the 0.5 sine 1.41.
        self.write('tone.wav', wav_bytes(1, RATE, float32(sine(440, 0.5, amp=0.5)), 3, 32))
        return self.write_project([track('t', 'tone.wav', gain_db=gain_db)])

    def clipped_in(self, stderr):
        m = re.search(r'(\d+) samples went past full scale and were clipped', stderr)
        return int(m.group(1)) if m else 0

    def test_hot_mix_in_24_bits_is_reported(self):
        proj = self.hot_project(12)
        floats = self.export_float(proj, 'f.wav')[0][2]
        # The truth: samples of the float render past full scale (a margin of
        # 2 LSB at 24 bits covers the dither at the edge).
        lsb = 2.0 / 8388608
        surely = sum(abs(v) > 1 + lsb for v in floats)
        maybe = sum(abs(v) > 1 - lsb for v in floats)
        self.assertGreater(surely, 1000)
        r = self.run_export(proj, '-o', self.path('i.wav'), '--bits', '24')
        self.assert_ok(r)
        n = self.clipped_in(r.stderr)
        self.assertTrue(surely <= n <= maybe, (surely, n, maybe, r.stderr))
        self.assertIn('i.wav', r.stderr)

    def test_float_and_headroom_say_nothing(self):
        self.assertEqual(self.export_float(self.hot_project(12), 'f.wav')[1], '')
        r = self.run_export(self.hot_project(0), '-o', self.path('i.wav'), '--bits', '16')
        self.assert_ok(r)
        self.assertNotIn('clipped', r.stderr)

    def test_normalized_stem_without_limiter_is_reported(self):
        r = self.run_export(DEMO, '-o', self.path('mix.flac'), '--normalize-lufs', '-9',
                            '--stems', self.path('st'), '--range', '0:12')
        self.assert_ok(r)
        self.assertIn('limiter', r.stderr)
        self.assertGreater(self.clipped_in(r.stderr), 0, r.stderr)
        self.assertNotIn(self.path('mix.flac') + ':', r.stderr)


class Names(Base):
    def stem_project(self, buses):
        self.write('tone.wav', wav_bytes(1, RATE, float32(sine(440, 0.2)), 3, 32))
        strips = [track('a', 'tone.wav', output=buses[0][0])]
        for id_, kind in buses:
            strips.append({'id': id_, 'kind': kind} if kind != 'aux' else
                          {'id': id_, 'kind': kind})
        return self.write_project(strips)

    def test_case_stem_name_collision(self):
        d = self.case('stem-name-collision')
        r = self.run_export('stems.busker', '--stems', 'st', cwd=d)
        self.assert_ok(r)
        st = os.path.join(d, 'st')
        self.assertEqual(sorted(os.listdir(st)), ['mix-subgroup.wav', 'mix.wav'])
        self.assertIn('Subgroup “mix”: its stem is written as mix-subgroup.wav, since mix.wav '
                      'is the whole mix', r.stderr)
        # The subgroup (-20 dB) is all the master hears: same samples.
        _, _, sub = read_wav(os.path.join(st, 'mix-subgroup.wav'))
        _, _, mix = read_wav(os.path.join(st, 'mix.wav'))
        self.assertGreater(max(abs(v) for v in sub), 0.01)
        self.assert_close(sub, mix, 2e-7 * 4)

    def test_aux_and_chained_collisions(self):
        proj = self.stem_project([('mix', 'subgroup'), ('mix-subgroup', 'subgroup'),
                                  ('mix-aux', 'aux')])
        # Route: a -> mix -> master; the other two exist with their ids.
        with open(proj) as f:
            p = json.load(f)
        p['strips'][1]['output'] = 'master'
        p['strips'][2]['output'] = 'master'
        p['strips'][3]['output'] = 'master'
        with open(proj, 'w') as f:
            json.dump(p, f)
        r = self.run_export(proj, '--stems', self.path('st'))
        self.assert_ok(r)
        names = sorted(os.listdir(self.path('st')))
        self.assertEqual(len(names), 4, names)
        self.assertEqual(names, ['mix-aux.wav', 'mix-subgroup-subgroup.wav',
                                 'mix-subgroup.wav', 'mix.wav'])

    def test_mix_onto_a_stem_is_refused(self):
        proj = self.stem_project([('grp', 'subgroup')])
        st = self.path('st')
        r = self.run_export(proj, '--stems', st, '-o', os.path.join(st, 'grp.wav'))
        self.assert_fails(r, 2, 'grp.wav', 'same file')
        self.assertEqual(os.listdir(st), [])

    def test_case_huge_seconds(self):
        d = self.case('huge-seconds')
        out = self.path('h.wav')
        self.assert_fails(self.run_export('offset.busker', '-o', out, cwd=d), 2,
                          'tone.wav', 'offset of 1e+15 s')
        self.assert_fails(self.run_export('offset.busker', '-o', out, '--range', '0:2e14',
                                          cwd=d), 2, '2e+14')
        self.assertFalse(os.path.exists(out))

    def test_other_huge_numbers(self):
        self.write('tone.wav', wav_bytes(1, RATE, float32(sine(440, 0.2)), 3, 32))
        for offset in (1e300, 172801, 1e15 / 7):
            proj = self.write_project([track('t', 'tone.wav', offset_s=offset)], 'o.busker')
            with self.subTest(offset=offset):
                self.assert_fails(self.run_export(proj, '-o', self.path('o.wav')), 2,
                                  'tone.wav', 'offset')
        # A negative offset is clamped to 0 by the loader, with a warning.
        proj = self.write_project([track('t', 'tone.wav', offset_s=-1e15)], 'neg.busker')
        r = self.run_export(proj, '-o', self.path('neg.wav'))
        self.assert_ok(r)
        self.assertIn('negative; using 0', r.stderr)
        proj = self.write_project([track('t', 'tone.wav', offset_s=0.1)], 'ok.busker')
        self.assert_fails(self.run_export(proj, '-o', self.path('o.wav'), '--range',
                                          '1e20:1e21'), 2, '--range' if False else 'range')
        # In range: a shifted source still lands where it should.
        (_, _, out), _ = self.export_float(proj, 'ok.wav')
        self.assertEqual(len(out) // 2, int(0.3 * RATE))

    def test_help_names_the_project_once(self):
        r = self.run_export('--help')
        self.assert_ok(r)
        self.assertEqual(r.stdout.count('PROJECT.busker'), 1, r.stdout)
        self.assertIn('--bitrate', r.stdout)

    def test_project_through_a_symlink(self):
        real = self.path('real')
        links = self.path('links')
        os.makedirs(os.path.join(real, 'audio'))
        os.makedirs(links)
        with open(os.path.join(real, 'audio', 'a.wav'), 'wb') as f:
            f.write(wav_bytes(1, RATE, float32(sine(440, 0.25, 0.2)), 3, 32))
        with open(os.path.join(real, 'song.busker'), 'w') as f:
            json.dump(project([track('a', 'audio/a.wav')]), f)
        os.symlink(os.path.join(real, 'song.busker'), os.path.join(links, 'song.busker'))
        (_, _, out), _ = self.export_float(os.path.join(links, 'song.busker'), 'l.wav')
        self.assertEqual(len(out) // 2, RATE // 4)
        self.assertAlmostEqual(max(out), 0.2 * MINUS_3DB, delta=1e-4)
        # The folder of the path as given comes first.
        os.makedirs(os.path.join(links, 'audio'))
        with open(os.path.join(links, 'audio', 'a.wav'), 'wb') as f:
            f.write(wav_bytes(1, RATE, float32(sine(440, 0.5, 0.1)), 3, 32))
        (_, _, out), _ = self.export_float(os.path.join(links, 'song.busker'), 'g.wav')
        self.assertEqual(len(out) // 2, RATE // 2)


class Targets(Base):
    def setUp(self):
        super().setUp()
        self.write('tone.wav', wav_bytes(1, RATE, float32(sine(440, 0.2)), 3, 32))
        self.proj = self.write_project([track('t', 'tone.wav')])

    def test_read_only_target_refused(self):
        out = self.write('ro.wav', b'precious')
        os.chmod(out, 0o444)
        self.assert_fails(self.run_export(self.proj, '-o', out), 2, out, 'read-only')
        with open(out, 'rb') as f:
            self.assertEqual(f.read(), b'precious')
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o444)
        self.assertEqual(sorted(os.listdir(self.dir)), ['p.busker', 'ro.wav', 'tone.wav'])

    def test_replaced_file_keeps_its_mode(self):
        for mode in (0o640, 0o600, 0o664):
            out = self.write('m.wav', b'old')
            os.chmod(out, mode)
            self.assert_ok(self.run_export(self.proj, '-o', out))
            self.assertEqual(os.stat(out).st_mode & 0o7777, mode)
            self.assertEqual(read_wav(out)[1], RATE)

    def test_live_only_project_refused(self):
        # A project of live tracks has nothing an export can render: it
        # wrote a 0-sample WAV and said "exported", exit 0.
        live = {'id': 'music', 'kind': 'track', 'source': {'type': 'live', 'apps': ['Firefox']}}
        proj = self.write_project([live])
        out = self.path('live.wav')
        self.assert_fails(self.run_export(proj, '-o', out), 2, 'no file tracks', '--record')
        self.assertFalse(os.path.exists(out))
        self.assert_fails(self.run_export(proj, '--analyze'), 2, 'no file tracks')

    def test_new_file_gets_the_umask_mode(self):
        # The truth: the mode `touch` gives a new file under the same umask.
        for mask in (0o022, 0o027, 0o002):
            out, ref = self.path('n%o.wav' % mask), self.path('n%o.ref' % mask)
            r = subprocess.run([EXE, self.proj, '-o', out], capture_output=True, text=True,
                               timeout=300, preexec_fn=lambda m=mask: os.umask(m))
            self.assert_ok(r)
            subprocess.run(['touch', ref], check=True, preexec_fn=lambda m=mask: os.umask(m))
            self.assertEqual(os.stat(out).st_mode & 0o7777, os.stat(ref).st_mode & 0o7777)

    def check_codec(self, ext, bitrate=None, rate=RATE, tolerance_lu=0.2):
        # 12 s of the demo: its hats, bass and pads, in a third of the time.
        part = ['--range', '0:12', '-q']
        ref = self.path('ref.wav')
        self.assert_ok(self.run_export(DEMO, '-o', ref, '--bits', '32f', *part))
        out = self.path('demo.' + ext)
        args = ['--bitrate', str(bitrate)] if bitrate else []
        r = self.run_export(DEMO, '-o', out, *part, *args)
        self.assert_ok(r)
        want = len(ffmpeg_decode(ref)) // 2
        got = len(ffmpeg_decode(out)) // 2
        # Gapless: ffmpeg trims the encoder delay and padding the file names.
        self.assertEqual(got, want * rate // RATE)
        ref_lufs, _ = ffmpeg_ebur128(ref)
        lufs, _ = ffmpeg_ebur128(out)
        self.assertLessEqual(abs(lufs - ref_lufs), tolerance_lu)
        probe = json.loads(subprocess.run(['ffprobe', '-v', 'error', '-show_streams',
                                           '-show_format', '-of', 'json', out],
                                          capture_output=True, text=True, check=True).stdout)
        print('%s at %s kbit/s: %d frames (WAV %d), %.1f LUFS (WAV %.1f)'
              % (ext, bitrate or 'default', got, want, lufs, ref_lufs), file=sys.stderr)
        return probe

    def test_mp3(self):
        # At 128 kbit/s LAME low-passes near 17 kHz and quantizes the bright
        # synthetic hats of the demo coarsely: 0.6 LU quieter (at 320: 0.0).
        probe = self.check_codec('mp3', 128, tolerance_lu=1.0)
        self.assertEqual(probe['streams'][0]['codec_name'], 'mp3')
        self.assertEqual(int(probe['streams'][0]['bit_rate']), 128000)
        self.assertEqual(int(probe['streams'][0]['sample_rate']), RATE)

    def test_mp3_default_320(self):
        probe = self.check_codec('mp3')
        self.assertEqual(int(probe['streams'][0]['bit_rate']), 320000)

    def test_opus(self):
        probe = self.check_codec('opus', 96)
        self.assertEqual(probe['streams'][0]['codec_name'], 'opus')
        kbps = int(probe['format']['bit_rate']) / 1000
        self.assertGreater(kbps, 96 * 0.8)
        self.assertLess(kbps, 96 * 1.25)

    def test_opus_from_44k_project_is_48k(self):
        self.write('t44.wav', wav_bytes(1, 44100, float32(sine(440, 1.0, rate=44100)), 3, 32))
        proj = self.write_project([track('t', 't44.wav')], 'p44.busker', 44100)
        out = self.path('t.opus')
        self.assert_ok(self.run_export(proj, '-o', out))
        probe = json.loads(subprocess.run(['ffprobe', '-v', 'error', '-show_streams', '-of',
                                           'json', out], capture_output=True, text=True,
                                          check=True).stdout)
        self.assertEqual(int(probe['streams'][0]['sample_rate']), 48000)
        self.assertEqual(len(ffmpeg_decode(out)) // 2, 48000)

    def test_codec_refusals(self):
        for args, words in [(['-o', self.path('x.mp3'), '--rate', '96000'], 'MP3'),
                            (['-o', self.path('x.opus'), '--rate', '44100'], 'Opus'),
                            (['-o', self.path('x.opus'), '--bitrate', '1000'], 'Opus bit rate'),
                            (['-o', self.path('x.flac'), '--bitrate', '128'], '--bitrate')]:
            with self.subTest(args=args):
                self.assert_fails(self.run_export(self.proj, *args), 2, words)
        self.assertEqual(sorted(os.listdir(self.dir)), ['p.busker', 'tone.wav'])


if __name__ == '__main__':
    EXE, CASES, DEMO = (os.path.abspath(a) for a in sys.argv[1:4])
    unittest.main(argv=[sys.argv[0], '-v'])
