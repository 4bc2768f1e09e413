"""`wxops up`: the whole system in one terminal — web, worker and the WeChat simulator.

Each part is a child process in a process group of its own. A part that dies is
restarted after a growing pause (1 s, 2 s, 4 s … up to 30 s), once everything left of its
process group (e.g. gunicorn's workers when their master was killed) is gone. A part that
keeps dying — :attr:`RestartPolicy.max_deaths` times within :attr:`RestartPolicy.window`
seconds — stops the whole system with the reason in words. Ctrl-C or SIGTERM stops all.

The supervisor makes itself a "child subreaper" (Linux): processes orphaned by a dying
part become its children rather than PID 1's, so it can reap them instead of leaving
zombies behind on machines whose PID 1 does not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class PortTaken(RuntimeError):
    pass


@dataclass(frozen=True)
class Part:
    name: str
    command: list[str]


@dataclass(frozen=True)
class RestartPolicy:
    """How the supervisor answers a part's death."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    max_deaths: int = 5
    window: float = 60.0

    def delay(self, recent_deaths: int) -> float:
        return min(self.max_delay, self.first_delay * 2 ** max(0, recent_deaths - 1))


@dataclass
class Running:
    part: Part
    process: subprocess.Popen | None = None
    restart_at: float = 0.0
    deaths: deque[float] = field(default_factory=deque)


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


def become_subreaper() -> bool:
    """Adopt the orphans of our children (Linux PR_SET_CHILD_SUBREAPER); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    parent: int
    group: int
    state: str


def processes() -> list[ProcessInfo]:
    """Every process of the machine as /proc shows it (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        # The command name sits in parentheses and may itself hold spaces or parentheses.
        fields = stat[stat.rindex(")") + 2:].split()
        found.append(ProcessInfo(int(entry.name), int(fields[1]), int(fields[2]), fields[0]))
    return found


def group_members(group: int) -> list[ProcessInfo]:
    return [process for process in processes() if process.group == group]


def reap_adopted(known: set[int]) -> None:
    """Collect the exit status of orphans we adopted (not our own parts: Popen owns those)."""
    me = os.getpid()
    for process in processes():
        if process.parent == me and process.state == "Z" and process.pid not in known:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(process.pid, os.WNOHANG)


def clear_group(group: int, known: set[int], timeout: float = 10.0) -> bool:
    """Kill every process left in ``group`` and wait until none runs; False if some survive ``timeout``."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reap_adopted(known)
        if all(member.state == "Z" for member in group_members(group)):
            return True
        time.sleep(0.05)
    return False


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


class Supervisor:
    def __init__(self, parts: list[Part], environment: dict[str, str], write: Callable[[str], None],
                 policy: RestartPolicy | None = None):
        self.running = {part.name: Running(part) for part in parts}
        self.environment = environment
        self.write = write
        self.policy = policy or RestartPolicy()

    @property
    def children(self) -> dict[str, subprocess.Popen]:
        return {name: run.process for name, run in self.running.items() if run.process is not None}

    def _own_pids(self) -> set[int]:
        return {child.pid for child in self.children.values()}

    def start(self, part: Part) -> subprocess.Popen:
        child = subprocess.Popen(part.command, env=self.environment, start_new_session=True)
        self.running[part.name].process = child
        return child

    def stop(self) -> None:
        """SIGTERM every part's group, give them 10 s, then kill what is left; no process remains."""
        children = list(self.children.values())
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
        for child in children:
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
            clear_group(child.pid, set())
        for run in self.running.values():
            run.process = None

    def watch(self) -> int:
        """Restart parts that die until Ctrl-C or SIGTERM (exit 0) or a part keeps dying (exit 1)."""
        def on_signal(signum, frame):
            raise KeyboardInterrupt

        # SIGINT too: a shell that starts `wxops up` in the background hands it SIGINT ignored.
        previous = {number: signal.signal(number, on_signal) for number in (signal.SIGTERM, signal.SIGINT)}
        try:
            while True:
                for run in self.running.values():
                    reason = self._tend(run)
                    if reason:
                        self.write(f"wxops: {reason}")
                        self.stop()
                        self.write("wxops: stopped.")
                        return 1
                reap_adopted(self._own_pids())
                time.sleep(0.2)
        except KeyboardInterrupt:
            self.write("\nwxops: stopping …")
            self.stop()
            self.write("wxops: stopped.")
            return 0
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)

    def _tend(self, run: Running) -> str | None:
        """Notice a death, clean up after it and plan the restart; a reason in words means stop all."""
        now = time.monotonic()
        name = run.part.name
        if run.process is None:
            if now >= run.restart_at:
                child = self.start(run.part)
                self.write(f"wxops: {name} restarted (pid {child.pid}).")
            return None
        code = run.process.poll()
        if code is None:
            return None
        dead = run.process
        run.process = None
        if not clear_group(dead.pid, self._own_pids()):
            return f"{name} died ({describe_exit(code)}) and processes of its group survive SIGKILL; stopping."
        run.deaths.append(now)
        while run.deaths and run.deaths[0] < now - self.policy.window:
            run.deaths.popleft()
        if len(run.deaths) >= self.policy.max_deaths:
            return (f"{name} died {len(run.deaths)} times within {self.policy.window:g} seconds "
                    f"(last time: {describe_exit(code)}); stopping everything. Its own messages above say why.")
        delay = self.policy.delay(len(run.deaths))
        run.restart_at = now + delay
        self.write(f"wxops: {name} stopped unexpectedly ({describe_exit(code)}); restarting in {delay:g} s.")
        return None


def wxops_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "wxops.cli", *args]
