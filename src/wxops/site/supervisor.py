"""`wxops up`: the whole system in one terminal — web, worker and the WeChat simulator.

Each part is a child process; Ctrl-C (or one part dying) stops them all cleanly.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


class PortTaken(RuntimeError):
    pass


@dataclass(frozen=True)
class Part:
    name: str
    command: list[str]


def ensure_port_free(port: int, variable: str) -> None:
    """Raise :class:`PortTaken` with the fix in words when something already listens on ``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise PortTaken(
                f"port {port} is already in use; stop what runs there or choose another port, "
                f"e.g. {variable}={port + 1} make run"
            ) from None


def wait_for_port(port: int, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.2)
    return False


class Supervisor:
    def __init__(self, parts: list[Part], environment: dict[str, str], write: Callable[[str], None]):
        self.parts = parts
        self.environment = environment
        self.write = write
        self.children: dict[str, subprocess.Popen] = {}
        self.stopping = False

    def start(self, part: Part) -> subprocess.Popen:
        child = subprocess.Popen(part.command, env=self.environment, start_new_session=True)
        self.children[part.name] = child
        return child

    def stop(self) -> None:
        self.stopping = True
        for child in self.children.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)

    def watch(self) -> int:
        """Block until Ctrl-C, SIGTERM or a part exits; then stop everything. Returns the exit code."""
        def on_signal(signum, frame):
            raise KeyboardInterrupt

        # SIGINT too: a shell that starts `wxops up` in the background hands it SIGINT ignored.
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        try:
            while True:
                for name, child in self.children.items():
                    code = child.poll()
                    if code is not None:
                        self.write(f"wxops: {name} stopped (exit {code}); stopping the rest.")
                        self.stop()
                        return code or 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.write("\nwxops: stopping …")
            self.stop()
            self.write("wxops: stopped.")
            return 0


def wxops_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "wxops.cli", *args]
