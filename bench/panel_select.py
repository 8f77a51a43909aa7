"""Panel selection: ours (LEXIMIN and maximin on HiGHS) against the reference, sortition-algorithms
(LEXIMIN on the pip gurobipy size-limited licence, maximin on HiGHS), on the same files in the
same run. The reference runs in a child process under a time limit ("did not finish in N s").

    .venv/bin/python bench/panel_select.py [--timeout S] [--only NAME,...] [--skip-reference]
        [--reference leximin,maximin]

Instances: the synthetic pools of tests/data/sortition/make_pools.py (pool 200 / panel 60 /
6 features, 1,000 / 60 / 5, 2,000 / 110 / 7), looked for in $POWERSHIFT_BENCH_SORTITION, then
../shared/data/sortition, then /work/benchdata/sortition; make them with
`python tests/data/sortition/make_pools.py DIR all`.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
from pathlib import Path

from powershift.formats.sortition_csv import read
from powershift.methods.leximin import meets_quotas, select

ROOT = Path(__file__).resolve().parents[1]
INSTANCES: dict[str, float | None] = {  # name: target seconds for our LEXIMIN (None: only 5x)
    "synth_200_60_6": 10.0,
    "synth_1000_60_5": 30.0,
    "synth_2000_110_7": 300.0,
    # The committed instances (tests/data/sortition), for the 5x comparison in the same run.
    "sf_example": None, "sf_example_households": None, "synth_200_20_4": None,
    "synth_200_20_4_households": None, "synth_300_30_5": None,
}


def _oracle() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_expected", ROOT / "tests" / "data" / "sortition" / "make_expected.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _folder(name: str) -> Path | None:
    roots = [os.environ.get("POWERSHIFT_BENCH_SORTITION", ""),
             str(ROOT.parent / "shared" / "data" / "sortition"), "/work/benchdata/sortition",
             str(ROOT / "tests" / "data" / "sortition")]
    for root in roots:
        if root and (Path(root) / name / "people.csv").exists():
            return Path(root) / name
    return None


def _ours(folder: Path, algorithm: str) -> tuple[float, float, bool, float]:
    """(seconds, lowest probability, whether every panel keeps the quotas, CPU seconds)."""
    size = int((folder / "panel_size.txt").read_text())
    homes = folder / "households.txt"
    address = homes.read_text().strip().split(",") if homes.exists() else []
    start, cpu = time.perf_counter(), time.process_time()
    pool, quotas = read(folder / "categories.csv", folder / "people.csv", size, address_columns=address)
    s = select(pool, quotas, size, algorithm=algorithm, households=bool(address), seed="bench")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    sound = meets_quotas(s.panel, pool, quotas, households=bool(address), size=size) and all(
        meets_quotas(c.members, pool, quotas, households=bool(address), size=size) for c in s.committees)
    return seconds, s.min_probability, sound, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds the reference may take per run (default 600)")
    parser.add_argument("--only", default="", help="comma-separated instance names")
    parser.add_argument("--skip-reference", action="store_true")
    parser.add_argument("--reference", default="leximin,maximin",
                        help="which of the reference's algorithms to run (comma-separated)")
    args = parser.parse_args()
    names = [n for n in INSTANCES if (INSTANCES[n] is not None and not args.only) or n in args.only.split(",")]
    oracle = None if args.skip_reference else _oracle()
    rows = []
    for name in names:
        folder = _folder(name)
        if folder is None:
            print(f"{name}: not found. Make it with `python tests/data/sortition/make_pools.py "
                  "/work/benchdata/sortition all` or set POWERSHIFT_BENCH_SORTITION.",
                  file=sys.stderr)
            continue
        size = int((folder / "panel_size.txt").read_text())
        pool = (folder / "people.csv").read_text().count("\n") - 1
        ours = {a: _ours(folder, a) for a in ("leximin", "maximin")}
        ref: dict[str, dict[str, object]] = {}
        for algorithm in ("leximin", "maximin"):
            if oracle is not None and algorithm in args.reference.split(","):
                ref[algorithm] = oracle.run(folder, algorithm, args.timeout)  # type: ignore[attr-defined]
        rows.append((name, pool, size, INSTANCES[name], ours, ref))
        print(f"{name}: ours leximin {ours['leximin'][0]:.1f} s, CPU {ours['leximin'][3]:.1f} s (min {ours['leximin'][1]:.6f}, "
              f"quotas kept: {ours['leximin'][2]}), maximin {ours['maximin'][0]:.1f} s; "
              + "; ".join(f"reference {a} " + (f"{r['seconds']} s, CPU {r.get('cpu_seconds')} s (min {r['min_probability']:.6f})"
                                               if r.get("finished") else str(r.get("note")))
                          for a, r in ref.items()), file=sys.stderr, flush=True)

    def ref_cell(r: dict[str, object] | None) -> str:
        if r is None:
            return "not run"
        if not r.get("finished"):
            return str(r.get("note"))
        return f"{r['seconds']:.1f} s (CPU {r.get('cpu_seconds', 0):.1f} s)"

    print("\nWall-clock seconds, CPU seconds of the process in brackets (fairer on a shared machine).")
    print("\n| pool / panel / features | ours LEXIMIN | ours maximin | reference LEXIMIN (Gurobi) "
          "| reference maximin (HiGHS) | target (ours LEXIMIN) | ref. maximin / ours LEXIMIN "
          "| min probability: ours / reference |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, pool, size, target, ours, ref in rows:
        features = name.split("_")[3] if name.startswith("synth_") else "-"
        mm = ref.get("maximin")
        speedup = (f"{float(mm['seconds']) / ours['leximin'][0]:.1f}x (CPU "  # type: ignore[arg-type]
                   f"{float(mm['cpu_seconds']) / ours['leximin'][3]:.1f}x)"  # type: ignore[arg-type]
                   if mm and mm.get("finished") else
                   (f"> {args.timeout / ours['leximin'][0]:.0f}x" if mm else ""))
        theirs = next((r for r in (ref.get("leximin"), mm) if r and r.get("finished")), None)
        minimum = f"{ours['leximin'][1]:.6f} / " + (
            f"{float(theirs['min_probability']):.6f}" if theirs else "-")  # type: ignore[arg-type]
        print(f"| {name}: {pool:,} / {size} / {features} | {ours['leximin'][0]:.1f} s "
              f"(CPU {ours['leximin'][3]:.1f} s) | {ours['maximin'][0]:.1f} s | {ref_cell(ref.get('leximin'))} | {ref_cell(mm)} | "
              f"{f'< {target:g} s' if target else '-'} | {speedup} | {minimum} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
