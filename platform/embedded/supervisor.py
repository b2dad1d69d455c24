"""Keeps the launcher's child processes running: a child that exits is started again after a
pause that doubles with each exit in a row (1 s, 2 s, 4 s … at most `MAX_DELAY`), and the pause
goes back to 1 s once the child has stayed up for `STABLE_AFTER` seconds. The other children are
left alone: the worker losing Redis, say, does not take the web server with it.

`stop()` (Ctrl-C, SIGTERM) ends them all: SIGTERM, then SIGKILL for any that linger.
"""

import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
STABLE_AFTER = 60.0


@dataclass
class Child:
    name: str
    command: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    exits_in_a_row: int = 0
    restart_at: float | None = None
    restarts: int = 0

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class Supervisor:
    commands: Mapping[str, Sequence[str]]
    start_process: Callable[[Sequence[str]], subprocess.Popen[bytes]]
    say: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic
    children: dict[str, Child] = field(default_factory=dict)

    def start(self) -> None:
        for name, command in self.commands.items():
            child = Child(name=name, command=command)
            self.children[name] = child
            self._launch(child)

    def _launch(self, child: Child) -> None:
        child.process = self.start_process(child.command)
        child.started_at = self.clock()
        child.restart_at = None

    def check(self) -> None:
        """Notice children that exited and start again those whose pause is over."""
        now = self.clock()
        for child in self.children.values():
            if child.restart_at is None and not child.running:
                assert child.process is not None
                code = child.process.returncode
                stable = now - child.started_at >= STABLE_AFTER
                child.exits_in_a_row = 1 if stable else child.exits_in_a_row + 1
                delay = min(FIRST_DELAY * 2 ** (child.exits_in_a_row - 1), MAX_DELAY)
                child.restart_at = now + delay
                self.say(f"{child.name} exited with {code}; starting it again in {delay:.0f} s.")
            elif child.restart_at is not None and now >= child.restart_at:
                self._launch(child)
                child.restarts += 1
                self.say(f"{child.name} started again (restart {child.restarts}).")

    def stop(self, *, grace: float = 20) -> None:
        running = [c.process for c in self.children.values() if c.running and c.process]
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
