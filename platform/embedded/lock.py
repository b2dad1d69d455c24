import fcntl
from collections.abc import Iterator
from contextlib import contextmanager

from embedded.paths import data_dir


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """An inter-process lock, so parallel test workers start a server only once."""
    with (data_dir() / f".{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
