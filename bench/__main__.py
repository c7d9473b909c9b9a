"""Run the benchmarks: `python -m bench [--quick] [--out FILE] [--no-wait] [NAME ...]`."""

import argparse
import importlib
import logging
import os
import sys
import time

from bench.report import wait_for_quiet

NAMES = ("pdf", "pages", "autosave", "queue", "photo", "bulk_csv", "bystander", "mail",
         "readers")


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default), print their tables; 1 if a target is missed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", choices=[*NAMES, []], metavar="NAME",
                        help=f"benchmarks to run, among {', '.join(NAMES)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="short runs for development (autosave 10 s instead of 60 s)")
    parser.add_argument("--out", help="also write the tables (Markdown) to this file")
    parser.add_argument("--no-wait", action="store_true",
                        help="start each benchmark at once instead of waiting (up to 3 min) "
                             "for the CPUs to be mostly idle")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    tables, ok = [], True
    for name in args.names or NAMES:
        print(f"waiting for idle CPUs, then running {name}...", file=sys.stderr, flush=True)
        busy = wait_for_quiet(limit=0 if args.no_wait else 180)
        started, load_before = time.monotonic(), os.getloadavg()[0]
        table = importlib.import_module(f"bench.{name}").run(quick=args.quick)
        table.notes.append(f"Benchmark wall time: {time.monotonic() - started:.0f} s. CPUs "
                           f"{busy:.0%} busy with other work just before; load average "
                           f"(1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after. "
                           "Other work on the same cores skews absolute numbers; the "
                           "side-by-side ratios much less.")
        print(table.render(), flush=True)
        tables.append(table)
        ok = ok and table.verdict()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write("\n".join(table.render() for table in tables))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
