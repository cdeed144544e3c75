#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""busker --headless without PipeWire, against FORMAT.md's contract.

Usage: test-headless.py BUSKER

No daemon can be reached (a fresh, empty XDG_RUNTIME_DIR): a good project
exits 1 with one sentence that says PipeWire is not running; a bad project
exits 2 with the loader's one sentence naming the file; bad usage exits 2;
nothing is written at a --record target.
"""
import os
import signal
import subprocess
import sys
import tempfile
import unittest

BUSKER = None
GOOD = '{"format":1,"strips":[{"id":"t","kind":"track","source":{"type":"live"}},' \
       '{"id":"master","kind":"master"}]}'


class Headless(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.env = dict(os.environ)
        run = os.path.join(self.tmp.name, "run")
        os.mkdir(run, 0o700)
        for key in ("PIPEWIRE_REMOTE", "PIPEWIRE_RUNTIME_DIR", "PULSE_SERVER"):
            self.env.pop(key, None)
        self.env["XDG_RUNTIME_DIR"] = run

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name, text=None):
        p = os.path.join(self.tmp.name, name)
        if text is not None:
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
        return p

    def run_busker(self, *args):
        p = subprocess.run([BUSKER, "--headless", *args], env=self.env, capture_output=True,
                           text=True, timeout=30)
        lines = p.stderr.splitlines()
        return p.returncode, lines

    def test_no_daemon(self):
        out = self.path("out.wav")
        status, lines = self.run_busker(self.path("p.busker", GOOD), "--play", "--record", out)
        self.assertEqual(status, 1, lines)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn("no PipeWire daemon is running", lines[0])
        self.assertTrue(lines[0].startswith("busker: "))
        self.assertFalse(os.path.exists(out))
        self.assertEqual(os.listdir(self.tmp.name).count("out.wav"), 0)

    def test_bad_project(self):
        bad = self.path("bad.busker", '{"format":1,"strips":[{"id":"t","kind":"track"}]}')
        status, lines = self.run_busker(bad, "--play")
        self.assertEqual(status, 2, lines)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(bad, lines[0])
        self.assertIn("master", lines[0])

    def test_missing_project(self):
        missing = self.path("nothing-here.busker")
        status, lines = self.run_busker(missing)
        self.assertEqual(status, 2, lines)
        self.assertEqual(len(lines), 1, lines)
        self.assertIn(missing, lines[0])

    def test_usage(self):
        for args in ([], [self.path("a.busker", GOOD), self.path("b.busker", GOOD)],
                     ["--bogus", self.path("a.busker", GOOD)]):
            status, lines = self.run_busker(*args)
            self.assertEqual(status, 2, (args, lines))
            self.assertEqual(len(lines), 1, (args, lines))
            self.assertIn("--headless --help", lines[0])

    def test_plain_help_tells_of_headless(self):
        """busker --help (no display needed) names the files it opens and
        the way to run without a window; before, it listed only --help."""
        env = dict(self.env, LANGUAGE="en")
        env.pop("DISPLAY", None)
        p = subprocess.run([BUSKER, "--help"], env=env, capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("[PROJECT.busker…]", p.stdout)
        self.assertIn("busker --headless PROJECT.busker", p.stdout)


@unittest.skipUnless(os.environ.get("BUSKER_TEST_SINK"), "needs PipeWire (pw-harness)")
class LiveHeadless(unittest.TestCase):
    """With a daemon (the headless-live test runs this file in pw-harness):
    stdout names the sinks apps can play into and how to stop; a file
    track whose file is gone is one warning line on stderr (it played as
    silence without a word); SIGINT ends it with exit 0."""

    def test_says_what_runs(self):
        with tempfile.TemporaryDirectory() as tmp:
            project = os.path.join(tmp, "p.busker")
            with open(project, "w", encoding="utf-8") as f:
                f.write('{"format":1,"strips":['
                        '{"id":"music","kind":"track","name":"Music","source":{"type":"live"}},'
                        '{"id":"kick","kind":"track","name":"Kick",'
                        ' "source":{"type":"file","path":"gone.wav"}},'
                        '{"id":"master","kind":"master"}]}')
            p = subprocess.Popen([BUSKER, "--headless", project], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            try:
                first = p.stdout.readline()
                second = p.stdout.readline()
            finally:
                p.send_signal(signal.SIGINT)
                out, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 0, err)
            self.assertEqual(first, "Busker is live; apps can play into “Busker: Music”.\n")
            self.assertEqual(second, "Ctrl+C stops it.\n")
            lines = err.splitlines()
            self.assertEqual(len(lines), 1, err)
            self.assertIn("“Kick”", lines[0])
            self.assertIn("gone.wav", lines[0])
            self.assertIn("silence", lines[0])


if __name__ == "__main__":
    BUSKER = sys.argv.pop(1)
    unittest.main(verbosity=2)
