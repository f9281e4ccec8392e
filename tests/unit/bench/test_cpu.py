"""The restart figure's breakdown: the CPU a process used, from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from streams.bench.cpu import cpu_seconds

SPIN_THEN_WAIT = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass\ninput()"


def test_cpu_time_is_what_the_process_spent_not_how_long_it_lived():
    busy = subprocess.Popen([sys.executable, "-c", SPIN_THEN_WAIT], stdin=subprocess.PIPE)
    idle = subprocess.Popen([sys.executable, "-c", "input()"], stdin=subprocess.PIPE)
    try:
        used = None
        for _ in range(200):  # until the busy one has spun
            used = cpu_seconds(busy.pid)
            if used is not None and used >= 0.5:
                break
            time.sleep(0.05)
        assert used is not None and used >= 0.5
        assert cpu_seconds(idle.pid) < 0.5  # alive as long, mostly waiting
    finally:
        for process in (busy, idle):
            process.communicate(b"\n", timeout=10)


def test_a_process_that_is_gone_has_no_cpu_time():
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert cpu_seconds(gone.pid) is None and cpu_seconds(None) is None
    assert cpu_seconds(os.getpid()) is not None
