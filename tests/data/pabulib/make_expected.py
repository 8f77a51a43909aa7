"""Make the expected outcomes in expected/ with pabutools (GPL, run only as a black-box oracle).

    .venv/bin/pip install -e '.[oracles]'
    nice -n 10 .venv/bin/python tests/data/pabulib/make_expected.py [FILE.pb[.gz] ...] [--out DIR]

With no files, every `*.pb.gz` beside this script. Each expected file records the oracle, its
version and the exact calls. The calls are the ones cities use:
- MES: cost satisfaction for approval-type ballots (approval, choose-1, ordinal: the projects
  ranked), additive points for cumulative and scoring ballots;
- MES with completion: the same MES with `voter_budget_increment=1`, then greedy utilitarian
  welfare (`completion_by_rule_combination`);
- greedy by votes: `greedy_utilitarian_welfare`, which takes projects by satisfaction per unit
  of cost, with the satisfaction of a supporter being the cost (approval types: so votes) or
  points times cost (cumulative, scoring: so points).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import multiprocessing
import queue as queue_module
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
TIME_LIMIT = 3600


def _calls(points: bool) -> dict[str, str]:
    mes_sat = "Additive_Cardinal_Sat" if points else "Cost_Sat"
    greedy_sat = "Points_Times_Cost_Sat" if points else "Cost_Sat"
    return {
        "mes": f"method_of_equal_shares(instance, profile, sat_class={mes_sat})",
        "mes_completion": "completion_by_rule_combination(instance, profile, "
                          "[method_of_equal_shares, greedy_utilitarian_welfare], "
                          f"[{{'sat_class': {mes_sat}, 'voter_budget_increment': 1}}, "
                          f"{{'sat_class': {greedy_sat}}}])",
        "greedy": f"greedy_utilitarian_welfare(instance, profile, sat_class={greedy_sat})",
    }


def _oracle(path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from importlib.metadata import version

    from pabutools.election import (
        Additive_Cardinal_Sat,
        AdditiveSatisfaction,
        Cost_Sat,
        parse_pabulib,
    )
    from pabutools.rules import (
        completion_by_rule_combination,
        greedy_utilitarian_welfare,
        method_of_equal_shares,
    )

    class Points_Times_Cost_Sat(AdditiveSatisfaction):  # noqa: N801  (pabutools' naming)
        def __init__(self, instance, profile, ballot):  # type: ignore[no-untyped-def]
            super().__init__(instance, profile, ballot,
                             lambda i, p, b, proj, pre: b.get(proj, 0) * proj.cost)

    with tempfile.NamedTemporaryFile(suffix=".pb") as tmp:
        data = Path(path).read_bytes()
        tmp.write(gzip.decompress(data) if path.endswith(".gz") else data)
        tmp.flush()
        instance, profile = parse_pabulib(tmp.name)
    points = instance.meta["vote_type"] in ("cumulative", "scoring")
    mes_sat = Additive_Cardinal_Sat if points else Cost_Sat
    greedy_sat = Points_Times_Cost_Sat if points else Cost_Sat
    out: dict[str, object] = {"oracle": f"pabutools {version('pabutools')}",
                              "calls": _calls(points)}
    t = time.perf_counter()
    out["mes"] = [p.name for p in method_of_equal_shares(instance, profile, sat_class=mes_sat)]
    out["mes_seconds"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    out["greedy"] = [p.name for p in greedy_utilitarian_welfare(instance, profile,
                                                                 sat_class=greedy_sat)]
    out["greedy_seconds"] = round(time.perf_counter() - t, 3)
    queue.put(out)
    t = time.perf_counter()
    out["mes_completion"] = [p.name for p in completion_by_rule_combination(
        instance, profile, [method_of_equal_shares, greedy_utilitarian_welfare],
        [{"sat_class": mes_sat, "voter_budget_increment": 1}, {"sat_class": greedy_sat}])]
    out["mes_completion_seconds"] = round(time.perf_counter() - t, 3)
    queue.put(out)


def run_oracle(path: Path, limit: float) -> dict[str, object]:
    """The oracle's outcomes for one file; rules that ran out of time are left out."""
    queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
    proc = multiprocessing.Process(target=_oracle, args=(str(path), queue))
    proc.start()
    result: dict[str, object] = {}
    deadline = time.monotonic() + limit
    while proc.is_alive() or not queue.empty():
        with contextlib.suppress(queue_module.Empty):
            result = queue.get(timeout=max(0.1, min(5, deadline - time.monotonic())))
        if time.monotonic() > deadline and proc.is_alive():
            proc.kill()
            break
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=HERE / "expected")
    parser.add_argument("--limit", type=float, default=TIME_LIMIT, help="seconds per file")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in args.files or sorted(HERE.glob("*.pb.gz")):
        name = path.name.removesuffix(".gz").removesuffix(".pb")
        target = args.out / f"{name}.json"
        if target.exists():
            continue
        result = run_oracle(path, args.limit)
        if not result:
            print(f"{name}: oracle did not finish", file=sys.stderr)
            continue
        result = {"file": path.name, **result}
        target.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {', '.join(k for k in ('mes', 'mes_completion', 'greedy') if k in result)}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
