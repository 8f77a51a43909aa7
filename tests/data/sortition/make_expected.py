"""Expected results from the reference tool, sortition-algorithms (GPL), run as a black box.

    nice -n 10 .venv/bin/python tests/data/sortition/make_expected.py DIR [DIR...] [--timeout S]
        [--algorithms leximin,maximin]

Each DIR holds categories.csv, people.csv, panel_size.txt and optionally households.txt (the
address columns, comma-separated, when the household rule applies). For each algorithm the
reference's find_distribution_<algorithm> runs in a child process under a time limit, and
DIR/expected_<algorithm>.json records each person's selection probability, the minimum, the
seconds, the exact call and the versions (or "did not finish in S s"). LEXIMIN uses the pip
gurobipy size-limited licence; maximin uses highspy, the reference's default backend.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any


def _run(folder: str, algorithm: str, queue: Any) -> None:
    from sortition_algorithms import adapters
    from sortition_algorithms.committee_generation import leximin, maximin
    from sortition_algorithms.settings import Settings

    d = Path(folder)
    size = int((d / "panel_size.txt").read_text())
    household = (d / "households.txt").read_text().strip().split(",") if (
        d / "households.txt").exists() else []
    source = adapters.CSVFileDataSource(
        features_file=d / "categories.csv", people_file=d / "people.csv",
        already_selected_file=None, selected_file=Path("/dev/null"),
        remaining_file=Path("/dev/null"))
    data = adapters.SelectionData(source)
    features, _ = data.load_features(size)
    settings = Settings(id_column="id", columns_to_keep=[], check_same_address=bool(household),
                        check_same_address_columns=household)
    people, _ = data.load_people(settings, features)
    find = {"leximin": leximin.find_distribution_leximin,
            "maximin": maximin.find_distribution_maximin}[algorithm]
    backend = "highspy"  # the leximin module uses gurobipy itself whatever the backend says
    start, cpu = time.perf_counter(), time.process_time()
    committees, weights, _ = find(features, people, size, household, backend)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    probabilities: dict[str, float] = {pid: 0.0 for pid in people}
    total = sum(weights)  # the reference's weights can sum to 1 only within its LP tolerance
    for committee, weight in zip(committees, weights, strict=True):
        for pid in committee:
            probabilities[pid] += weight / total
    queue.put({
        "oracle_call": f"sortition_algorithms.committee_generation.{algorithm}."
                       f"find_distribution_{algorithm}(features, people, {size}, {household!r}, "
                       f"{backend!r})",
        "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "committees": len(committees), "weight_sum": total,
        "min_probability": min(probabilities.values()),
        "probabilities": dict(sorted(probabilities.items())),
    })


def run(folder: Path, algorithm: str, timeout: float) -> dict[str, Any]:
    queue: Any = mp.get_context("fork").Queue()
    child = mp.get_context("fork").Process(target=_run, args=(str(folder), algorithm, queue))
    start = time.perf_counter()
    child.start()
    child.join(timeout)
    versions = {"sortition-algorithms": version("sortition-algorithms"),
                "gurobipy": version("gurobipy"), "highspy": version("highspy")}
    if child.is_alive():
        child.kill()
        child.join()
        return {"algorithm": algorithm, "finished": False, "versions": versions,
                "seconds": None, "note": f"did not finish in {timeout:g} s"}
    if queue.empty():
        return {"algorithm": algorithm, "finished": False, "versions": versions,
                "seconds": round(time.perf_counter() - start, 2),
                "note": f"failed (exit status {child.exitcode})"}
    return {"algorithm": algorithm, "finished": True, "versions": versions, **queue.get()}


if __name__ == "__main__":
    args = sys.argv[1:]
    timeout, algorithms = 600.0, ["leximin", "maximin"]
    if "--timeout" in args:
        i = args.index("--timeout")
        timeout = float(args[i + 1])
        del args[i:i + 2]
    if "--algorithms" in args:
        i = args.index("--algorithms")
        algorithms = args[i + 1].split(",")
        del args[i:i + 2]
    for name in args:
        for algorithm in algorithms:
            result = run(Path(name), algorithm, timeout)
            out = Path(name) / f"expected_{algorithm}.json"
            out.write_text(json.dumps(result, indent=1) + "\n")
            print(name, algorithm, result.get("seconds"), result.get("min_probability"),
                  result.get("note", ""), flush=True)
