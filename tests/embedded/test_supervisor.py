"""The launcher's supervisor: a child that exits is started again with a doubling pause, the
others are left running, and stopping ends every child. Real processes, a clock the test moves."""

import subprocess
import sys
from collections.abc import Sequence

from embedded.supervisor import MAX_DELAY, STABLE_AFTER, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
CRASHER = [sys.executable, "-c", "raise SystemExit(3)"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _supervisor(clock: Clock, said: list[str]) -> Supervisor:
    def start(command: Sequence[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(list(command))

    commands = {"web": SLEEPER, "worker": CRASHER}
    return Supervisor(commands=commands, start_process=start, say=said.append, clock=clock)


def _exits(supervisor: Supervisor, name: str) -> None:
    process = supervisor.children[name].process
    assert process is not None
    process.wait(timeout=30)


def test_a_child_that_exits_is_started_again_with_a_doubling_pause_and_the_rest_run_on() -> None:
    clock, said = Clock(), []
    supervisor = _supervisor(clock, said)
    supervisor.start()
    web = supervisor.children["web"].process
    try:
        delays = []
        for _ in range(7):
            _exits(supervisor, "worker")
            supervisor.check()
            delay = supervisor.children["worker"].restart_at - clock.now  # type: ignore[operator]
            delays.append(delay)
            clock.now += delay - 0.1
            supervisor.check()
            assert supervisor.children["worker"].restart_at is not None  # not yet
            clock.now += 0.1
            supervisor.check()
        assert delays == [1, 2, 4, 8, 16, MAX_DELAY, MAX_DELAY]
        assert supervisor.children["worker"].restarts == 7
        assert said[:2] == [
            "worker exited with 3; starting it again in 1 s.",
            "worker started again (restart 1).",
        ]
        assert supervisor.children["web"].process is web  # never touched
        assert web is not None
        assert web.poll() is None
    finally:
        supervisor.stop(grace=5)
    for child in supervisor.children.values():
        assert child.process is not None
        assert child.process.poll() is not None


def test_a_child_that_stayed_up_a_while_starts_again_after_the_first_pause() -> None:
    clock, said = Clock(), []
    supervisor = _supervisor(clock, said)
    supervisor.start()
    try:
        for _ in range(3):  # three quick exits: the pause has grown to 4 s
            _exits(supervisor, "worker")
            supervisor.check()
            clock.now = supervisor.children["worker"].restart_at  # type: ignore[assignment]
            supervisor.check()
        clock.now += STABLE_AFTER  # then it ran for a minute before exiting
        _exits(supervisor, "worker")
        supervisor.check()
        assert supervisor.children["worker"].restart_at == clock.now + 1
    finally:
        supervisor.stop(grace=5)
