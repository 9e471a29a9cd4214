"""Progress (issue 13): a bar with the time left on a terminal, none with --quiet or when stderr
is not a terminal (a log file, CI)."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.conftest import ROOT, SCENARIOS

ERLANG_A = SCENARIOS / "validation" / "erlang-a.toml"


def _stderr_of_run(out: Path, *options: str, terminal: bool) -> str:
    """What `run` writes to stderr, with stderr a pseudo-terminal or a pipe."""
    command = [sys.executable, "-m", "sim", "run", str(ERLANG_A), "-n", "2", "--jobs", "1",
               "--out", str(out), *options]
    if not terminal:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                              check=True).stderr
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=child)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the run ended and closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    assert process.wait() == 0
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal")
def test_a_terminal_shows_the_replications_done_and_the_time_left(tmp_path):
    shown = _stderr_of_run(tmp_path, terminal=True)
    assert "2/2" in shown and "rep" in shown
    assert "<" in shown  # tqdm's [elapsed<remaining]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pseudo-terminal")
def test_quiet_shows_no_bar_even_on_a_terminal(tmp_path):
    assert "rep" not in _stderr_of_run(tmp_path, "--quiet", terminal=True)


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path):
    assert "rep" not in _stderr_of_run(tmp_path, terminal=False)
