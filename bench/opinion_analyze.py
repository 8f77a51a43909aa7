"""Benchmark of `powershift.methods.opinion.analyze` against red-dwarf 0.4.0, in the same run.

    .venv/bin/python bench/opinion_analyze.py [--quick]

1. Every committed real conversation (tests/data/polis), plus any Polis export folders in
   $POLIS_BENCH_DIR or ../shared/data/polis: our analysis time (`analyze` on the votes already
   in arrays, median and best of 5 after a warm-up; target < 0.3 s; reading and converting
   the votes is shown apart) beside red-dwarf's `run_pipeline` (one run, in a subprocess, time
   limit; its own conversion of the votes is inside its time).
2. A synthetic conversation, 20,000 participants x 2,000 statements at 5 % density with three
   planted groups (seeded generator below): time and peak memory of each in its own subprocess
   (resource.getrusage maxrss), and the adjusted Rand index with the planted groups. Targets:
   < 5 s, < 1 GB, ARI >= 0.95. `--quick` skips red-dwarf on it (it takes about a minute and
   3.4 GB).

Both tools run with one BLAS thread (OPENBLAS_NUM_THREADS=1 unless set). Needs the `oracles`
extra (red-dwarf; pandas and scikit-learn come with it).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "tests" / "data" / "polis"
SHARED = ROOT.parent / "shared" / "data" / "polis"
LIMIT_REAL = 120  # seconds allowed to red-dwarf per real conversation
LIMIT_SYNTHETIC = 300


def synthetic(n: int = 20_000, m: int = 2_000, density: float = 0.05, groups: int = 3,
              seed: int = 20261123) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(participant, statement, vote, planted group) for a conversation with planted groups:
    each group agrees with a third of the statements and disagrees with the rest; 15 % of votes
    are noise (a random vote). Sparse from the start: n * m * density random cells."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(groups, size=n)
    cells = np.unique(rng.integers(0, n * m, size=int(n * m * density * 1.03)))
    cells = rng.permutation(cells)[: int(n * m * density)]
    p, s = cells // m, cells % m
    vote = np.where(s % groups == truth[p], 1, -1)
    noise = rng.random(p.size) < 0.15
    vote[noise] = rng.integers(-1, 2, size=int(noise.sum()))
    return p.astype(np.int64), s.astype(np.int64), vote.astype(np.int64), truth


def ari(a: np.ndarray, b: np.ndarray) -> float:
    _, x = np.unique(a, return_inverse=True)
    _, y = np.unique(b, return_inverse=True)
    table = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(table, (x, y), 1)
    pairs = lambda v: v * (v - 1) / 2  # noqa: E731
    index, rows, cols = pairs(table).sum(), pairs(table.sum(1)).sum(), pairs(table.sum(0)).sum()
    expected = rows * cols / pairs(len(a))
    return float((index - expected) / ((rows + cols) / 2 - expected))


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- workers (each runs in its own process) ---------------------------------------------------

def worker_ours_synthetic() -> dict[str, Any]:
    from powershift.methods.opinion import VoteArrays, analyze

    p, s, v, truth = synthetic()
    data = VoteArrays(list(range(len(truth))), list(range(2_000)), p, s, v)
    before = _maxrss_mb()
    started = time.perf_counter()
    result = analyze(data, data.statements)
    seconds = time.perf_counter() - started
    label = result.group_of()
    found = np.array([label.get(i, -1) for i in range(len(truth))])
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb(), "maxrss_before_mb": before,
            "ari": ari(truth, found), "groups": len(result.groups)}


def _reddwarf(records: list[dict[str, int]], mod_out: list[int]) -> tuple[float, Any]:
    warnings.filterwarnings("ignore")
    from reddwarf.implementations.polis import run_pipeline

    started = time.perf_counter()
    result = run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)
    return time.perf_counter() - started, result


def worker_reddwarf_synthetic() -> dict[str, Any]:
    p, s, v, truth = synthetic()
    records = [{"participant_id": int(a), "statement_id": int(b), "vote": int(c), "modified": 0}
               for a, b, c in zip(p, s, v, strict=True)]
    del p, s, v
    seconds, result = _reddwarf(records, [])
    clustered = result.participants_df[result.participants_df["to_cluster"]]
    found = np.full(len(truth), -1)
    found[clustered.index.to_numpy(dtype=int)] = clustered["cluster_id"].to_numpy(dtype=int)
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb(), "ari": ari(truth, found)}


def worker_reddwarf(folder: str) -> dict[str, Any]:
    sys.path.insert(0, str(COMMITTED))
    from make_expected import _read, _votes  # the oracle script's own reading (with workaround)

    path = Path(folder)
    votes = _votes(path).sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last")
    comments = _read(path, "comments.csv")
    records = [{"participant_id": int(a), "statement_id": int(b), "vote": int(c), "modified": int(t)}
               for a, b, c, t in zip(votes["voter-id"], votes["comment-id"], votes["vote"],
                                     votes["timestamp"], strict=True)]
    mod_out = [int(c) for c in comments.loc[comments["moderated"] == -1, "comment-id"]]
    seconds, _ = _reddwarf(records, mod_out)
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb()}


def _run(args: list[str], limit: float) -> dict[str, Any] | None:
    """A worker in a fresh process; None if it did not finish within `limit` seconds."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    try:
        done = subprocess.run([sys.executable, __file__, "--worker", *args], capture_output=True,
                              text=True, timeout=limit, env=env, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as e:
        return {"error": e.stderr.strip().splitlines()[-1] if e.stderr.strip() else "failed"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- the benchmark ----------------------------------------------------------------------------

def _folders() -> list[Path]:
    roots = [COMMITTED]
    extra = os.environ.get("POLIS_BENCH_DIR")
    if extra and not Path(extra).is_dir():
        print(f"POLIS_BENCH_DIR={extra} is not a folder; ignoring it", file=sys.stderr)
    elif extra:
        roots.append(Path(extra))
    if SHARED.is_dir():
        roots.append(SHARED)
    found = []
    for root in roots:
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and any((folder / f).exists() for f in (
                    "votes.csv", "votes.csv.gz", "participants-votes.csv",
                    "participants-votes.csv.gz")):
                found.append(folder)
    return found


def _ours_real(folder: Path) -> tuple[float, float, float, int, int]:
    from powershift.formats.polis_export import read_export
    from powershift.methods.opinion import analyze, vote_arrays

    started = time.perf_counter()  # reading the files and converting the votes to arrays
    export = read_export(folder)
    ids = [c.id for c in export.comments]
    data = vote_arrays([(v.participant, v.statement, v.vote, v.timestamp) for v in export.votes],
                       ids)
    read = time.perf_counter() - started
    analyze(data, ids, moderated_out=export.moderated_out)  # warm-up
    times = []
    for _ in range(5):
        started = time.perf_counter()
        result = analyze(data, ids, moderated_out=export.moderated_out)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), read, len(result.participants), len(ids)


def _fmt(result: dict[str, Any] | None, limit: float, key: str = "seconds") -> str:
    if result is None:
        return f"did not finish in {limit:g} s"
    if "error" in result:
        return f"failed: {result['error'][:60]}"
    return f"{result[key]:.2f} s" if key == "seconds" else f"{result[key]:,.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip red-dwarf on the synthetic case")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") is None:
        # One BLAS thread for both tools: on a shared 2-core machine BLAS threads spin against
        # each other and small analyses take 5-20 times longer (and vary from run to run).
        os.execve(sys.executable, [sys.executable, *sys.argv], {  # noqa: S606
            **os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1"})
    if args.worker:
        kind, *rest = args.worker
        out = {"ours-synthetic": worker_ours_synthetic,
               "reddwarf-synthetic": worker_reddwarf_synthetic}.get(kind)
        print(json.dumps(out() if out else worker_reddwarf(rest[0])))
        return 0
    if not SHARED.is_dir() and not os.environ.get("POLIS_BENCH_DIR"):
        print(f"(only the committed conversations: for more, put Polis export folders in {SHARED} "
              "or point POLIS_BENCH_DIR at them; https://github.com/compdemocracy/openData)\n",
              file=sys.stderr)
    print(f"{'conversation':46} {'people':>6} {'stmts':>5} {'ours (best)':>16} {'(read)':>8} "
          f"{'red-dwarf':>24}  target")
    for folder in _folders():
        ours, best, read, people, statements = _ours_real(folder)
        theirs = _run(["reddwarf", str(folder)], LIMIT_REAL)
        print(f"{folder.name[:46]:46} {people:6} {statements:5} {ours:6.3f}s ({best:5.3f}s) "
              f"{read:7.2f}s {_fmt(theirs, LIMIT_REAL):>24}  < 0.3 s", flush=True)
    print("\nsynthetic: 20,000 participants x 2,000 statements, 5 % density, 3 planted groups")
    ours_s = _run(["ours-synthetic"], LIMIT_SYNTHETIC)
    theirs_s = None if args.quick else _run(["reddwarf-synthetic"], LIMIT_SYNTHETIC)
    skipped = "skipped (--quick)"
    print(f"{'':12} {'ours':>12} {'red-dwarf 0.4.0':>24}  target")
    print(f"{'time':12} {_fmt(ours_s, LIMIT_SYNTHETIC):>12} "
          f"{skipped if args.quick else _fmt(theirs_s, LIMIT_SYNTHETIC):>24}  < 5 s")
    print(f"{'peak memory':12} {_fmt(ours_s, LIMIT_SYNTHETIC, 'maxrss_mb'):>12} "
          f"{skipped if args.quick else _fmt(theirs_s, LIMIT_SYNTHETIC, 'maxrss_mb'):>24}  < 1 GB")
    ari_ours = f"{ours_s['ari']:.3f}" if ours_s and "ari" in ours_s else "-"
    ari_theirs = (f"{theirs_s['ari']:.3f}" if theirs_s and "ari" in theirs_s
                  else (skipped if args.quick else "-"))
    print(f"{'ARI planted':12} {ari_ours:>12} {ari_theirs:>24}  >= 0.95")
    return 0


if __name__ == "__main__":
    sys.exit(main())
