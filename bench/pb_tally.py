"""Benchmark `pb tally` against pabutools on the same files, in the same run.

    .venv/bin/python bench/pb_tally.py

Files: Warszawa 2023 Mokotów and Wrocław 2015 "150-500" (the largest Pabulib election), plus a
few medium ones, from PB_BENCH_DATA, ../shared/data/pabulib or /work/benchdata/pabulib/pb_files
(the first folder that has them). Get them from https://github.com/pabulib/pabulib_files
(pb_files/). pabutools (GPL, the `oracles` extra) runs in a child process under a time limit
and is reported as "did not finish in N s" when it runs out.
"""

from __future__ import annotations

import multiprocessing
import os
import platform
import queue as queue_module
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILES = [
    ("Poland_Warszawa_2023_Mokotow.pb", "< 1 s with completion"),
    ("Poland_Wroclaw_2015_150_-_500.pb", "< 3 s"),
    ("Poland_Krakow_2023_Bienczyce.pb", ""),
    ("Poland_Lodz_2024_Rokicie.pb", ""),
]
RULES = [("mes", "none"), ("mes", "budget-increase"), ("greedy", "none")]
LIMIT = float(os.environ.get("PB_BENCH_LIMIT", "120"))


def folders() -> list[Path]:
    found = [Path(os.environ["PB_BENCH_DATA"])] if os.environ.get("PB_BENCH_DATA") else []
    return found + [REPO.parent / "shared" / "data" / "pabulib", Path("/work/benchdata/pabulib/pb_files")]


def find(name: str) -> Path | None:
    for folder in folders():
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.exists():
                return candidate
    return None


def _oracle(path: str, rule: str, completion: str, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
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
    start = time.perf_counter()
    if rule == "greedy":
        result = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif completion == "none":
        result = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    else:
        result = completion_by_rule_combination(
            instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
            [{"sat_class": Cost_Sat, "voter_budget_increment": 1}, {"sat_class": Cost_Sat}])
    out.put((sorted(p.name for p in result), time.perf_counter() - start))


def oracle(path: Path, rule: str, completion: str) -> tuple[list[str] | None, float | None]:
    """pabutools' selection and counting time (not parsing), or (None, None) past the limit."""
    out: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    proc = multiprocessing.Process(target=_oracle, args=(str(path), rule, completion, out))
    proc.start()
    try:
        selected, seconds = out.get(timeout=LIMIT + 60)  # parsing is not timed; allow for it
    except queue_module.Empty:
        selected, seconds = None, None
    proc.kill()
    proc.join()
    if seconds is not None and seconds > LIMIT:
        return None, None
    return selected, seconds


def main() -> int:
    sys.path.insert(0, str(REPO / "src"))
    from powershift.formats.pabulib import read
    from powershift.methods.equal_shares import tally

    missing = [name for name, _ in FILES if find(name) is None]
    if missing:
        print(f"Missing benchmark files: {', '.join(missing)}.\nPut them (from "
              "https://github.com/pabulib/pabulib_files, folder pb_files/) in PB_BENCH_DATA, "
              f"../shared/data/pabulib or /work/benchdata/pabulib/pb_files.", file=sys.stderr)
        if len(missing) == len(FILES):
            return 1
    print(f"pb tally against pabutools; {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pabutools time limit {LIMIT:.0f} s\n")
    print("| election | voters | projects | rule | read | ours | pabutools | speed-up | same | target |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |")
    for name, target in FILES:
        path = find(name)
        if path is None:
            continue
        start = time.perf_counter()
        election = read(path)
        read_s = time.perf_counter() - start
        for rule, completion in RULES:
            start = time.perf_counter()
            outcome = tally(election, rule, completion)  # type: ignore[arg-type]
            ours = time.perf_counter() - start
            theirs, seconds = oracle(path, rule, completion)
            label = rule if rule == "greedy" else f"mes, completion {completion}"
            if seconds is None:
                ref, speed, same = f"did not finish in {LIMIT:.0f} s", f"> {LIMIT / ours:,.0f}x", "-"
            else:
                ref, speed = f"{seconds:.2f} s", f"{seconds / ours:,.0f}x"
                same = "yes" if theirs == sorted(outcome.selected) else "NO"
            goal = target if (rule, completion) == ("mes", "budget-increase") else ""
            print(f"| {name.removesuffix('.pb')} | {len(election.voters):,} | "
                  f"{len(election.projects)} | {label} | {read_s:.2f} s | {ours:.2f} s | {ref} | "
                  f"{speed} | {same} | {goal} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
