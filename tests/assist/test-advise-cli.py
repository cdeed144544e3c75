#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""busker-export --advise / --apply-trims on the demo, against
docs/assistant.md.

Usage: test-advise-cli.py BUSKER_EXPORT DEMO_PROJECT

- The mix figures of the advice are the ones --analyze prints (the same
  render, measured by the same libebur128 code).
- The demo made conservative (its bus processing subtle, its pad less
  wide), with the trims --apply-trims writes, gets no advice at all.
- Every sentence names its strip; the exit status is 0 whatever the
  advice; bad input is one line on stderr naming the file, exit 2, and
  --apply-trims never writes over a file.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

EXE = None
DEMO = None


def run(*args):
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=300)


def subtle_demo(folder):
    """The demo with its bus settings made subtle, sources made absolute."""
    with open(DEMO) as f:
        project = json.load(f)
    demo_dir = os.path.dirname(os.path.abspath(DEMO))
    for strip in project['strips']:
        src = strip.get('source')
        if src and src.get('type') == 'file':
            src['path'] = os.path.join(demo_dir, src['path'])
        for insert in strip.get('inserts', []):
            if strip['id'] == 'drums' and insert['type'] == 'compressor':
                insert['makeup_db'] = 0          # no level win on the A/B
            if strip['id'] == 'master' and insert['type'] == 'limiter':
                insert['input_gain_db'] = 0      # a safety limiter, not loudness
            if strip['id'] == 'pad' and insert['type'] == 'stereo_width':
                insert['width'] = 1.1            # 1.4 is anti-correlated (rho ~ -0.3)
    path = os.path.join(folder, 'subtle.busker')
    with open(path, 'w') as f:
        json.dump(project, f)
    return path


class AdviseCli(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix='busker-advise-')

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_demo_json_matches_analyze(self):
        advise = run(DEMO, '--advise', '--json')
        self.assertEqual(advise.returncode, 0, advise.stderr)
        report = json.loads(advise.stdout)
        analyze = run(DEMO, '--analyze', '--json', '-q')
        self.assertEqual(analyze.returncode, 0, analyze.stderr)
        ref = json.loads(analyze.stdout)
        for key in ('integrated_lufs', 'mono_loss_lu', 'sample_peak_dbfs'):
            self.assertAlmostEqual(report['mix'][key], ref[key], delta=0.1, msg=key)
        ids = {s['strip']: s for s in report['strips']}
        self.assertEqual(set(ids), {'kick', 'snare', 'hats', 'bass', 'keys', 'pad', 'lead',
                                    'vocal', 'drums', 'music', 'reverb', 'delay', 'master'})
        for advice in report['advice']:
            self.assertIn(advice['severity'], ('warning', 'suggestion'))
            self.assertTrue(advice['message'].startswith(advice['strip_name']), advice)
            self.assertIn(advice['strip'], ids)
        self.assertIn('chain_loudness_change_lu', ids['drums'])
        self.assertIn('suggested_trim_db', ids['kick'])
        self.assertIn('return_lufs', ids['reverb'])

    def test_demo_text(self):
        out = run(DEMO, '--advise')
        self.assertEqual(out.returncode, 0, out.stderr)
        lines = [l for l in out.stdout.splitlines() if l[:2] in ('! ', '- ')]
        self.assertGreater(len(lines), 0)
        names = ('Kick', 'Snare', 'Hats', 'Bass', 'Keys', 'Pad', 'Lead', 'Vocal', 'Drums',
                 'Music', 'Reverb', 'Delay', 'Master')
        for line in lines:
            self.assertTrue(line[2:].split(':')[0].split(' ')[0] in names, line)
        # Warnings come before suggestions.
        kinds = [l[0] for l in lines]
        self.assertEqual(kinds, sorted(kinds))

    def test_subtle_demo_gets_no_advice(self):
        subtle = subtle_demo(self.dir)
        out = os.path.join(self.dir, 'sub', 'trimmed.busker')
        os.mkdir(os.path.dirname(out))
        # One render: the advice as JSON, and the trims it suggests written.
        first = run(subtle, '--advise', '--json', '--apply-trims', out)
        self.assertEqual(first.returncode, 0, first.stderr)
        before = json.loads(first.stdout)
        warnings = [a['message'] for a in before['advice'] if a['severity'] == 'warning']
        self.assertEqual(warnings, [])

        with open(out) as f:
            trimmed = {s['id']: s for s in json.load(f)['strips']}
        with open(subtle) as f:
            original = {s['id']: s for s in json.load(f)['strips']}
        self.assertGreater(len(before['advice']), 0)
        for a in before['advice']:
            self.assertEqual(a['kind'], 'trim')
            strip = next(s for s in before['strips'] if s['strip'] == a['strip'])
            t = trimmed[a['strip']]
            self.assertAlmostEqual(t['trim_db'], strip['suggested_trim_db'], delta=0.01)
            moved = t['trim_db'] - original[a['strip']].get('trim_db', 0)
            self.assertAlmostEqual(t['gain_db'], original[a['strip']]['gain_db'] - moved,
                                   delta=0.01)

        again = run(out, '--advise')
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn('No advice', again.stdout)
        self.assertIn('Warnings: 0, suggestions: 0.', again.stdout)

    def test_apply_trims_never_overwrites(self):
        out = os.path.join(self.dir, 'taken.busker')
        with open(out, 'w') as f:
            f.write('keep me')
        r = run(DEMO, '--apply-trims', out)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertIn(out, r.stderr)
        with open(out) as f:
            self.assertEqual(f.read(), 'keep me')
        r = run(DEMO, '--apply-trims', DEMO)
        self.assertEqual(r.returncode, 2)

    def test_bad_input(self):
        missing = os.path.join(self.dir, 'nope.busker')
        r = run(missing, '--advise')
        self.assertEqual(r.returncode, 2)
        self.assertEqual(len(r.stderr.splitlines()), 1)
        self.assertIn('nope.busker', r.stderr)
        r = run(DEMO, '--advise', '-o', os.path.join(self.dir, 'x.wav'))
        self.assertEqual(r.returncode, 2)
        r = run(DEMO, '--advise', '--target-peak', 'loud')
        self.assertEqual(r.returncode, 2)
        self.assertIn('--target-peak', r.stderr)


if __name__ == '__main__':
    EXE, DEMO = sys.argv[1], sys.argv[2]
    unittest.main(argv=[sys.argv[0], '-v'])
