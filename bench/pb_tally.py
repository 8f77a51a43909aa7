"""Benchmark `pb tally` against pabutools on the same files, in the same run.

    .venv/bin/python bench/pb_tally.py

Files: Warszawa 2023 Mokotów and Wrocław 2015 "150-500" (the largest Pabulib election), plus a
few medium ones, from PB_BENCH_DATA, ../shared/data/pabulib or /work/benchdata/pabulib/pb_files
(the first folder that has them). Get them from https://github.com/pabulib/pabulib_files
(pb_files/). pabutools (GPL, the `oracles` extra) runs in a child process under a time limit
(PB_BENCH_LIMIT seconds, 120 by default; PB_BENCH_COMPLETION_LIMIT for MES with completion,
which it does not finish on the two large files, the same by default) and is reported as "did
not finish in N s" when it runs out.

Like for like: pabutools' timed call computes the selection only, so "count" times ours doing
the same (`equal_shares.count`: everything the selection needs, from the ballots as the reader
returns them). "explain" is the rest of `tally` (the exact prices and payments of the MES run
that was kept, and a sentence per project), timed on its own. Ours is counted `--repeat`
times after one untimed count (median wall time, and median CPU time to show how much the
machine's load inflated the wall time); pabutools the same way when a count takes it under a
second, else once.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import queue as queue_module
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Literal, TypeVar

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[1]
FILES = [
    ("Poland_Warszawa_2023_Mokotow.pb", "< 1 s with completion"),
    ("Poland_Wroclaw_2015_150_-_500.pb", "< 3 s"),
    ("Poland_Krakow_2023_Bienczyce.pb", ""),
    ("Poland_Lodz_2024_Rokicie.pb", ""),
]
RULES: list[tuple[str, Literal["budget-increase", "none"]]] = [
    ("mes", "none"), ("mes", "budget-increase"), ("greedy", "none")]
LIMIT = float(os.environ.get("PB_BENCH_LIMIT", "120"))
COMPLETION_LIMIT = float(os.environ.get("PB_BENCH_COMPLETION_LIMIT", str(LIMIT)))


def folders() -> list[Path]:
    found = [Path(os.environ["PB_BENCH_DATA"])] if os.environ.get("PB_BENCH_DATA") else []
    return found + [REPO.parent / "shared" / "data" / "pabulib", Path("/work/benchdata/pabulib/pb_files")]


def find(name: str) -> Path | None:
    for folder in folders():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                return candidate
    return None


def _oracle(path: str, rule: str, completion: str, repeat: int,
            out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    instance, profile = parse_pabulib(path)
    if instance.meta["vote_type"] in ("cumulative", "scoring"):
        out.put(("skipped", 0.0))  # needs the custom satisfaction of make_expected.py
        return

    def run() -> list[str]:
        if rule == "greedy":
            result = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
        elif completion == "none":
            result = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
        else:
            result = completion_by_rule_combination(
                instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
                [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}])
        return sorted(p.name for p in result)

    # Like ours: when a count takes under a second (a first one in a process varies from 50
    # to 110 ms on Łódź, later ones 35 to 40 ms), the median of `repeat` more counts.
    start = time.perf_counter()
    selected = run()
    seconds = time.perf_counter() - start
    if seconds < 1:
        seconds = timed(repeat, run, warm=True)[1]  # the first count warmed it
    out.put((selected, seconds))


def oracle(path: Path, rule: str, completion: str, limit: float,
           repeat: int) -> tuple[list[str] | None, float | None]:
    """pabutools' selection and counting time (not parsing), or (None, None) past the limit."""
    # Spawned, not forked: after a fork, each of our memory pages faults on its first write,
    # which doubled our small counts timed after a pabutools run.
    spawn = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = spawn.Queue()  # type: ignore[type-arg]
    proc = spawn.Process(target=_oracle, args=(str(path), rule, completion, repeat, out))
    proc.start()
    try:
        selected, seconds = out.get(timeout=limit + 60)  # parsing is not timed; allow for it
    except queue_module.Empty:
        selected, seconds = None, None
    proc.kill()
    proc.join()
    if seconds is not None and seconds > limit:
        return None, None
    return selected, seconds


def shown(seconds: float) -> str:
    """Seconds as the table shows them: milliseconds below 0.1 s (small files count in less)."""
    return f"{seconds * 1000:.2f} ms" if seconds < 0.1 else f"{seconds:.3f} s"


def timed(repeat: int, work: Callable[[], T], warm: bool = False) -> tuple[T, float, float]:
    """The result of `work` and its median wall and CPU time over `repeat` calls, after one
    untimed call unless already `warm` (a process's first count pays one-off costs: on Łódź,
    1.2 ms instead of 0.5)."""
    if not warm:
        work()
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result, statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="times ours is counted (median)")
    parser.add_argument("--only", default="", help="files whose name contains this")
    parser.add_argument("--no-oracle", action="store_true", help="skip pabutools")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from powershift.formats.pabulib import read
    from powershift.methods.equal_shares import count, explain

    files = [(name, target) for name, target in FILES if args.only in name]
    missing = [name for name, _ in files if find(name) is None]
    if missing:
        print(f"Missing benchmark files: {', '.join(missing)}.\nPut them (from "
              "https://github.com/pabulib/pabulib_files, folder pb_files/) in PB_BENCH_DATA, "
              f"../shared/data/pabulib or /work/benchdata/pabulib/pb_files.", file=sys.stderr)
        if len(missing) == len(files):
            return 1
    print(f"pb tally against pabutools; {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pabutools time limit {LIMIT:.0f} s ({COMPLETION_LIMIT:.0f} s "
          f"with completion), ours: median of "
          f"{args.repeat}; load average {os.getloadavg()[0]:.1f}\n")
    print("| election | voters | projects | rule | read | count (CPU) | explain | pabutools "
          "| speed-up | same | target |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for name, target in files:
        path = find(name)
        if path is None:
            continue
        start = time.perf_counter()
        election = read(path)
        read_s = time.perf_counter() - start
        # Ours first for every rule, then pabutools (see `oracle`).
        ours_all = []
        for rule, completion in RULES:
            counted, ours, cpu = timed(args.repeat, partial(count, election, rule, completion))
            _, explain_s, _ = timed(args.repeat, partial(explain, counted))
            ours_all.append((rule, completion, counted, ours, cpu, explain_s))
        for rule, completion, counted, ours, cpu, explain_s in ours_all:
            label = rule if rule == "greedy" else f"mes, completion {completion}"
            limit = LIMIT if completion == "none" else COMPLETION_LIMIT
            theirs, seconds = (None, None) if args.no_oracle else oracle(path, rule, completion,
                                                                         limit, args.repeat)
            if args.no_oracle:
                ref, speed, same = "not run", "", "-"
            elif seconds is None:
                ref, speed, same = f"did not finish in {limit:.0f} s", f"> {limit / ours:,.0f}x", "-"
            else:
                ref, speed = f"{seconds:.3f} s", f"{seconds / ours:,.0f}x"
                same = "yes" if theirs == sorted(counted.selected) else "NO"
            goal = target if (rule, completion) == ("mes", "budget-increase") else ""
            print(f"| {name.removesuffix('.pb')} | {len(election.voters):,} | "
                  f"{len(election.projects)} | {label} | {read_s:.2f} s | {shown(ours)} "
                  f"({shown(cpu)}) | {shown(explain_s)} | {ref} | {speed} | {same} | {goal} |",
                  flush=True)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
