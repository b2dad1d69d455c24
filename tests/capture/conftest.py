"""Capture fixtures: the coaching searches (shared with tests/coaching), and the imports run
in the test's own process (`import_run` is called directly; nothing needs a broker)."""

import pytest

from tests.coaching.conftest import NOW, make_contact, now, other_search, search, unchanged

__all__ = ["NOW", "make_contact", "now", "other_search", "search", "unchanged"]


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run the jobs themselves; queuing must not need a broker (the sweeper and the
    real worker are exercised in tests/capture/test_smtp_worker.py)."""
    from coaching import tasks

    monkeypatch.setattr(tasks.import_run_task, "delay", lambda *args: None)
