"""Ctrl-C stops a wxops command even when it was started with SIGINT ignored (a background job of
a non-interactive shell, some CI runners): the worker used to run on when one came while loading."""

import os
import signal
import subprocess
import sys

SCRIPT = "import os, signal; os.kill(os.getpid(), signal.SIGINT); print('ran on after Ctrl-C')"


def test_a_command_started_with_sigint_ignored_still_stops_on_ctrl_c(tmp_path):
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "wxops.cli", "shell", "-c", SCRIPT], env=env, text=True,
                         capture_output=True, timeout=300,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    assert "ran on after Ctrl-C" not in run.stdout
    assert run.returncode in (130, -signal.SIGINT), (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr
