"""Demo and benchmark data: realistic searches from a seeded random generator.

`seed_demo` fills the demo practice with clients whose histories each show one or two reasons of
the failure-reason catalog (see `stories.STORIES`); `generate_benchmark` writes a practice-sized
load (500 clients, 250,000 interactions) in bulk.
"""

from coaching.demo.benchmark import BenchmarkResult, generate_benchmark
from coaching.demo.seed import DemoClient, demo_email, seed_demo
from coaching.demo.stories import STORIES, Story

__all__ = [
    "STORIES",
    "BenchmarkResult",
    "DemoClient",
    "Story",
    "demo_email",
    "generate_benchmark",
    "seed_demo",
]
