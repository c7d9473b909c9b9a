"""One photo measurement in a fresh process: `python -m bench.photo_child MODE FILE`.

MODE is `process` (intake's process_photo), `open` (Pillow's plain Image.open().load()) or
`bomb` (process_photo on a file it must refuse). Prints one JSON line: seconds, the resident
set growth (peak VmHWM after, minus VmRSS before) and tracemalloc's peak from a second run.
"""

import contextlib
import io
import json
import sys
import time
import tracemalloc
from pathlib import Path

from PIL import Image

from intake.errors import FieldRefused
from intake.photos.pipeline import process_photo


def status_kb(field: str) -> int:
    """Return a VmRSS/VmHWM value of this process in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def reset_peak() -> None:
    """Reset VmHWM to the current RSS (Linux >= 4.0); ignored where not allowed."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def operation(mode: str, data: bytes):
    """Return the function to measure."""
    if mode == "open":
        def plain():
            with Image.open(io.BytesIO(data)) as image:
                image.load()
        return plain

    def ours():
        try:
            process_photo(data)
        except FieldRefused:
            if mode != "bomb":
                raise
        else:
            if mode == "bomb":
                raise RuntimeError("the bomb was accepted")
    return ours


def main(mode: str, path: str) -> None:
    """Measure one run, then a traced run, and print the numbers as JSON."""
    data = Path(path).read_bytes()
    function = operation(mode, data)
    reset_peak()
    before = status_kb("VmRSS")
    started = time.perf_counter()
    function()
    seconds = time.perf_counter() - started
    growth = status_kb("VmHWM") - before
    tracemalloc.start()
    function()
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(json.dumps({"seconds": seconds, "rss_growth": growth * 1024,
                      "rss_before": before * 1024, "traced_peak": traced_peak}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
