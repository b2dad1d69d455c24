"""The cache keeps one Redis client per pool and still behaves as Django's cache."""

import threading

from django.core.cache import cache, caches


def test_one_client_serves_every_call() -> None:
    backend = caches["default"]._cache  # type: ignore[attr-defined]
    assert backend.get_client("a") is backend.get_client("b", write=True)


def test_values_round_trip_from_many_threads_at_once() -> None:
    errors: list[str] = []

    def work(n: int) -> None:
        for i in range(50):
            cache.set(f"redis-cache-test:{n}:{i}", {"n": n, "i": i}, 30)
            if cache.get(f"redis-cache-test:{n}:{i}") != {"n": n, "i": i}:
                errors.append(f"{n}:{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert cache.add("redis-cache-test:0:0", "other", 30) is False
    cache.delete_many([f"redis-cache-test:{n}:{i}" for n in range(8) for i in range(50)])
    assert cache.get("redis-cache-test:0:0") is None
