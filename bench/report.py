"""Measurements, medians and the small table every benchmark prints."""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Row:
    """One line of a benchmark table.

    `ratio` is measurement / baseline. `target` is a text such as "<= 1.15x" or "< 50 ms";
    `passed` is None when the row only informs (no target).
    """

    name: str
    measured: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None


@dataclass
class Table:
    """A benchmark's rows under a title, with free notes printed after the table."""

    title: str
    rows: list[Row]
    notes: list[str]
    extra: list[str] = field(default_factory=list)  # Markdown lines after the notes

    def verdict(self) -> bool:
        """Say whether every row with a target passed."""
        return all(row.passed is not False for row in self.rows)

    def render(self) -> str:
        """Return the table as GitHub-flavoured Markdown (readable in a terminal too)."""
        head = ["measurement", "value", "baseline", "ratio", "target", "result"]
        lines = [f"### {self.title}", "", "| " + " | ".join(head) + " |",
                 "|" + "|".join("---" for _ in head) + "|"]
        for row in self.rows:
            ratio = f"{row.ratio:.2f}x" if row.ratio is not None else ""
            result = {True: "PASS", False: "MISS", None: ""}[row.passed]
            cells = [row.name, row.measured, row.baseline, ratio, row.target, result]
            lines.append("| " + " | ".join(cells) + " |")
        lines += [""] + [f"- {note}" for note in self.notes]
        if self.extra:
            lines += ["", *self.extra]
        return "\n".join(lines) + "\n"


def ms(seconds: float) -> str:
    """Format a duration in milliseconds."""
    return f"{seconds * 1000:.1f} ms"


def mb(size: float) -> str:
    """Format a byte count in MiB."""
    return f"{size / 2**20:.1f} MB"


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of values (fraction in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def timed(function: Callable[[], object], collect: bool = False) -> float:
    """Run function once and return the wall-clock seconds it took.

    With collect, the garbage of earlier runs is collected first (not timed), so one run's
    leftovers are not charged to the next.
    """
    if collect:
        gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def interleaved(functions: dict[str, Callable[[], object]], repeat: int,
                warmup: int = 1, collect: bool = False) -> dict[str, list[float]]:
    """Time each function `repeat` times, alternating them so drift hits all alike."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            times[name].append(timed(function, collect))
    return times


def median(values: list[float]) -> float:
    """Return the median of values."""
    return statistics.median(values)


def cpu_counters() -> tuple[int, int]:
    """Return the machine's (total, idle) CPU time counters from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return sum(values), values[3] + values[4]  # idle + iowait


def busy_since(before: tuple[int, int]) -> float:
    """Return the fraction of all CPUs busy since `before` (a cpu_counters() value)."""
    total_after, idle_after = cpu_counters()
    total = max(total_after - before[0], 1)
    return 1 - (idle_after - before[1]) / total


def cpu_busy(seconds: float = 1.0) -> float:
    """Return the fraction of all CPUs busy over the next `seconds` (from /proc/stat)."""
    before = cpu_counters()
    time.sleep(seconds)
    return busy_since(before)


def wait_for_quiet(limit: float = 180, busy: float = 0.25) -> float:
    """Wait (up to `limit` s) until other work leaves the CPUs mostly idle; return the busy share.

    Other processes on the same cores skew every absolute number, so each benchmark starts
    on a quiet machine when it can; the share measured last is reported in its notes.
    """
    deadline = time.monotonic() + limit
    share = cpu_busy(2.0)
    while share > busy and time.monotonic() < deadline:
        share = cpu_busy(2.0)
    return share
