"""How well our groups agree with Polis's own, beside red-dwarf 0.4.0's, on real conversations.

    .venv/bin/python bench/opinion_polis_ari.py [FOLDER ...]

Each FOLDER holds Polis export folders (comments.csv, votes.csv and participants-votes.csv,
gzipped or not) and an `expected/` folder with red-dwarf's results made by
tests/data/polis/make_expected.py. Default: the twelve committed conversations
(tests/data/polis). The other five usable conversations of compdemocracy/openData (commit
0bc2ce0f: football-concussions, london.youth.policing, scoop-hivemind.affordable-housing,
scoop-hivemind.freshwater, scoop-hivemind.ubi) are not committed; to include them:

    git clone https://github.com/compdemocracy/openData /tmp/openData
    mkdir /tmp/polis_extra && for c in football-concussions london.youth.policing \
        scoop-hivemind.affordable-housing scoop-hivemind.freshwater scoop-hivemind.ubi; do
      cp -r /tmp/openData/$c /tmp/polis_extra/; done
    .venv/bin/python tests/data/polis/make_expected.py /tmp/polis_extra   # needs the oracles extra
    .venv/bin/python bench/opinion_polis_ari.py tests/data/polis /tmp/polis_extra

For each conversation: the adjusted Rand index (ARI) of our groups and of red-dwarf's with
Polis's groups (participants-votes.csv's group-id), over the participants both placed, and the
number of groups of each; then the medians. Prints a Markdown table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from powershift.formats.polis_export import read_export  # noqa: E402
from powershift.methods.opinion import analyze, vote_arrays  # noqa: E402

COMMITTED = ROOT / "tests" / "data" / "polis"


def ari(a: list[int], b: list[int]) -> float:
    """Adjusted Rand index of two labellings, from their contingency table."""
    _, x = np.unique(a, return_inverse=True)
    _, y = np.unique(b, return_inverse=True)
    table = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(table, (x, y), 1)
    pairs = lambda v: v * (v - 1) / 2  # noqa: E731
    index, rows, cols = pairs(table).sum(), pairs(table.sum(1)).sum(), pairs(table.sum(0)).sum()
    expected = rows * cols / pairs(len(a))
    top = (rows + cols) / 2 - expected
    return float((index - expected) / top) if top else 1.0


def score(folder: Path, expected: dict[str, object]) -> dict[str, float | int | str]:
    """Our ARI and red-dwarf's with Polis's groups on one conversation, and the group counts."""
    export = read_export(folder)
    votes = vote_arrays([(v.participant, v.statement, v.vote, v.timestamp) for v in export.votes],
                        [c.id for c in export.comments])
    result = analyze(votes, [c.id for c in export.comments], moderated_out=export.moderated_out)
    ours = result.group_of()
    default = expected["default"]
    assert isinstance(default, dict)
    theirs = {int(p): g for p, g in default["groups"].items()}
    polis = export.groups
    common = [p for p in polis if p in ours]
    common_rd = [p for p in polis if p in theirs]
    return {"name": folder.name, "grouped": len(polis),
            "ours": ari([polis[p] for p in common], [ours[p] for p in common]),
            "red-dwarf": ari([polis[p] for p in common_rd], [theirs[p] for p in common_rd]),
            "k polis": len(set(polis.values())), "k ours": len(result.groups),
            "k red-dwarf": len(set(theirs.values()))}


def main() -> None:
    roots = [Path(a) for a in sys.argv[1:]] or [COMMITTED]
    rows = []
    for root in roots:
        for path in sorted((root / "expected").glob("*.json")):
            rows.append(score(root / path.stem, json.loads(path.read_text())))
    print("| conversation | grouped by Polis | ARI ours | ARI red-dwarf | groups Polis / ours / "
          "red-dwarf |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['name']} | {r['grouped']:,} | {r['ours']:.2f} | {r['red-dwarf']:.2f} | "
              f"{r['k polis']} / {r['k ours']} / {r['k red-dwarf']} |")
    ours = [float(r["ours"]) for r in rows]
    rd = [float(r["red-dwarf"]) for r in rows]
    wins = sum(o > t for o, t in zip(ours, rd, strict=True))
    ties = sum(o == t for o, t in zip(ours, rd, strict=True))
    print(f"\n{len(rows)} conversations: median ARI ours {np.median(ours):.2f}, red-dwarf "
          f"{np.median(rd):.2f}; ours higher on {wins}, equal on {ties}, lower on "
          f"{len(rows) - wins - ties}")


if __name__ == "__main__":
    main()
