"""Expected results for the Polis conversations here, made by red-dwarf 0.4.0 (GPL, run as a
black-box oracle; never imported by the product or the tests).

    .venv/bin/python tests/data/polis/make_expected.py [FOLDER]

FOLDER defaults to this one; for ../shared/data/polis give that folder. For each conversation
folder it writes expected/<name>.json with:
- `default`: red-dwarf's default pipeline (`run_pipeline(votes=..., mod_out_statement_ids=...,
  random_state=0)`): its group of each clustered participant, its routing priority of each
  statement not moderated out (`statements_df["priority"]`) and its time in seconds;
- `given_groups`: with Polis's own groups (participants-votes.csv's group-id column):
  group-aware consensus per statement (`calculate_comment_statistics_dataframes`),
  representative statements per group (`select_representative_statements`) and consensus
  statements (`select_consensus_statements` on the whole matrix), all with default arguments.

Workaround: red-dwarf 0.4.0 fails with pandas 3 ("Index contains duplicate entries") when a
participant voted twice on one statement, so the script keeps only the latest vote of each
participant on each statement (the rule red-dwarf means to apply) before calling it.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")

from reddwarf.implementations.polis import run_pipeline  # noqa: E402
from reddwarf.utils.consensus import select_consensus_statements  # noqa: E402
from reddwarf.utils.matrix import generate_raw_matrix  # noqa: E402
from reddwarf.utils.stats import (  # noqa: E402
    calculate_comment_statistics_dataframes,
    select_representative_statements,
)


def _read(folder: Path, name: str) -> pd.DataFrame:
    path = folder / name
    return pd.read_csv(path if path.exists() else folder / f"{name}.gz")


def _plain(x: object) -> object:
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, np.integer | np.bool_):
        return x.item()
    if isinstance(x, np.floating):
        return float(x)
    return x


def _votes(folder: Path) -> pd.DataFrame:
    """votes.csv, or (for exports that only have it) the votes in participants-votes.csv."""
    if (folder / "votes.csv").exists() or (folder / "votes.csv.gz").exists():
        return _read(folder, "votes.csv")
    pv = _read(folder, "participants-votes.csv")
    ids = [c for c in pv.columns if str(c).strip().isdigit()]
    long = pv.melt(id_vars=["participant"], value_vars=ids, var_name="comment-id",
                   value_name="vote").dropna()
    return pd.DataFrame({"timestamp": 0, "comment-id": long["comment-id"].astype(int),
                         "voter-id": long["participant"].astype(int),
                         "vote": long["vote"].astype(int)})


def expected(folder: Path) -> dict[str, object]:
    comments = _read(folder, "comments.csv")
    votes = _votes(folder)
    votes = votes.sort_values("timestamp", kind="stable").drop_duplicates(
        ["voter-id", "comment-id"], keep="last")
    records = [{"participant_id": int(p), "statement_id": int(s), "vote": int(v), "modified": int(t)}
               for p, s, v, t in zip(votes["voter-id"], votes["comment-id"], votes["vote"],
                                     votes["timestamp"], strict=True)]
    mod_out = [int(c) for c in comments.loc[comments["moderated"] == -1, "comment-id"]]
    started = time.perf_counter()
    result = run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)
    seconds = time.perf_counter() - started
    clustered = result.participants_df[result.participants_df["to_cluster"]]
    default = {"call": "run_pipeline(votes=records, mod_out_statement_ids=mod_out, random_state=0)",
               "seconds": seconds,
               "groups": {str(p): int(g) for p, g in clustered["cluster_id"].items()},
               "priority": {str(s): float(x) for s, x in result.statements_df["priority"].items()
                            if s not in mod_out}}

    pv = _read(folder, "participants-votes.csv")
    polis = pv.dropna(subset=["group-id"]).set_index("participant")["group-id"].astype(int)
    matrix = generate_raw_matrix(votes=records)
    ids = [p for p in matrix.index if p in polis.index]
    stats, gac = calculate_comment_statistics_dataframes(
        vote_matrix=matrix.loc[ids], cluster_labels=polis.loc[ids].to_numpy())
    given = {
        "calls": ["calculate_comment_statistics_dataframes(vote_matrix=matrix.loc[polis ids], "
                  "cluster_labels=polis groups)",
                  "select_representative_statements(grouped_stats_df, mod_out_statement_ids=mod_out)",
                  "select_consensus_statements(vote_matrix=matrix, mod_out_statement_ids=mod_out)"],
        "group_aware_consensus": {
            str(s): [float(a), float(d)] for s, a, d in zip(
                gac.index, gac["group-aware-consensus-agree"],
                gac["group-aware-consensus-disagree"], strict=True)},
        "repness": _plain(select_representative_statements(
            grouped_stats_df=stats, mod_out_statement_ids=mod_out)),
        "consensus": _plain(select_consensus_statements(
            vote_matrix=matrix, mod_out_statement_ids=mod_out)),
    }
    return {"oracle": f"red-dwarf {version('red-dwarf')}", "pandas": version("pandas"),
            "numpy": version("numpy"), "conversation": folder.name, "moderated_out": mod_out,
            "default": default, "given_groups": given}


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out = root / "expected"
    out.mkdir(exist_ok=True)
    for folder in sorted(p for p in root.iterdir()
                         if (p / "comments.csv").exists() or (p / "comments.csv.gz").exists()):
        result = expected(folder)
        (out / f"{folder.name}.json").write_text(json.dumps(result, indent=1) + "\n")
        print(f"{folder.name}: {result['default']['seconds']:.2f} s")  # type: ignore[index]


if __name__ == "__main__":
    main()
