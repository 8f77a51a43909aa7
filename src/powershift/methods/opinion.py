"""Polis-style opinion analysis for Ideas Shop conversations.

The pipeline follows Polis: a vote matrix (latest vote wins); moderated-out and meta statements
zeroed; participants clustered once they have min(7, statements) votes; a 2-component PCA of the
column-mean-imputed matrix with Polis's sparsity-aware projection scaling √(statements / votes);
base clusters, then 2 to 5 groups chosen by silhouette; group-aware consensus Π_g (A_g+1)/(S_g+2);
representativeness with Polis's proportion tests (one-sided 90 %, z > 1.2816) and its sort metric;
consensus and representative statement selection; and comment routing by Polis's priority.

Clustering as Polis does it (polismath's conversation.clj and clusters.clj): up to 100 base
clusters by k-means, then for 2 to 5 groups (at most 2 + one per 12 base clusters) a k-means
over the base-cluster centres weighted by their sizes, the group count chosen by Polis's
silhouette over the base clusters (each counting once), every k-means stopped when no centre
moves by 0.01. Where it departs from Polis and red-dwarf on purpose: Polis starts each k-means
from the previous run's clusters (its first run from the first distinct points), so its groups
depend on the order votes arrived, which an export does not keep; here several seeded k-means++
starts stand in for that history and each start's groups are settled participant by participant
(so chance boundaries of the base clusters do not decide anyone's group); the tightest result
wins. red-dwarf instead runs one k-means over every participant and its silhouette over every
participant (poor or one-person groups on some conversations; quadratic). No group ever has
fewer than two members, and everything runs on sparse matrices. Results are deterministic: the
only randomness is seeded, and participants and statements are taken in sorted id order.

Floats are safe here: the figures are statistics for display and ranking, not tallies that
decide an outcome (tallies are integers).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.cluster.vq import vq
from scipy.sparse.linalg import svds

Id: TypeAlias = Hashable  # participant and statement ids: ints or strs, one kind per conversation
Direction: TypeAlias = Literal["agree", "disagree"]
FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]

Z_90 = 1.2816  # one-sided 90 % critical value of the normal distribution, as Polis uses
MIN_VOTES = 7  # Polis clusters a participant once they have min(7, statements) votes
MAX_GROUPS = 5
BASE_CLUSTERS = 100
PICK_MAX = 5  # statements per group (representative) and per direction (consensus)
META_PRIORITY = 7.0
_DIRS: tuple[Direction, Direction] = ("agree", "disagree")
_RESTARTS = 12  # seeded k-means++ starts per group count
_SETTLED = 0.01  # Polis's k-means stops when no centre moves this far
_REFINED = 4  # the best distinct starts settled participant by participant
_DENSE_SVD_CELLS = 100_000  # below this many matrix cells a dense SVD is cheaper than ARPACK


@dataclass(frozen=True)
class VoteArrays:
    """Votes as parallel arrays (for large conversations): positions into `participants` and
    `statements`, votes in {-1, 0, 1}, and timestamps (the latest vote wins; ties: the later row)."""

    participants: Sequence[Id]
    statements: Sequence[Id]
    participant_index: IntArray
    statement_index: IntArray
    vote: IntArray
    timestamp: FloatArray | None = None


@dataclass(frozen=True)
class Tally:
    statement: Id
    agree: int
    disagree: int
    passed: int

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed


@dataclass(frozen=True)
class StatementFigures:
    """One representative or consensus statement with Polis's figures for its direction.

    `n_success` of `n_trials` participants (in the group, or everyone for consensus) voted in
    `direction`; `p_success` = (n_success+1)/(n_trials+2) and `p_test` is its one-proportion z.
    For representative statements, `repness` = p_success / the same outside the group and
    `repness_test` the two-proportion z; `share_in` / `share_out` are the plain shares voting
    in `direction` inside and outside the group (`share_in` is the overall share for consensus)."""

    statement: Id
    direction: Direction
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    share_in: float
    share_out: float | None = None
    repness: float | None = None
    repness_test: float | None = None
    best_agree: bool = False
    group_aware_consensus: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Group:
    id: int
    members: list[Id]
    representative: list[StatementFigures]


@dataclass(frozen=True)
class Analysis:
    participants: list[Id]  # everyone who voted, sorted
    statements: list[Id]  # as given
    votes: int  # votes counted (latest per participant and statement)
    tallies: dict[Id, Tally]
    clustered: list[Id]  # participants with enough votes to be placed in a group
    groups: list[Group]
    consensus: list[StatementFigures]  # agree entries first, then disagree
    group_aware_consensus: dict[Id, tuple[float, float]]  # statement -> (agree, disagree)
    coordinates: dict[Id, tuple[float, float]]  # 2-D opinion map position of every participant
    priorities: dict[Id, float]  # routing priority of each statement (0 for moderated-out)
    too_small: str | None = None  # why there are no groups, when there are none
    silhouette: float | None = None
    groups_given: bool = False

    @property
    def votes_per_participant(self) -> float:
        return self.votes / len(self.participants) if self.participants else 0.0

    def group_of(self) -> dict[Id, int]:
        return {p: g.id for g in self.groups for p in g.members}


@dataclass
class _Matrix:
    participants: list[Id]
    statements: list[Id]
    agree: sp.csr_matrix  # 1 where the latest vote agrees
    disagree: sp.csr_matrix
    seen: sp.csr_matrix  # 1 where there is any vote (pass included)
    row: IntArray  # the latest votes as coordinates: participant, statement, vote
    col: IntArray
    vote: IntArray


def _order(x: Id) -> tuple[str, Any]:
    """A sort key for ids: numbers in numeric order, then text."""
    return (type(x).__name__, x) if isinstance(x, int | str) else ("~", repr(x))


def _index(ids: Sequence[Id]) -> dict[Id, int]:
    return {x: i for i, x in enumerate(ids)}


def _codes(values: list[Any], known: Sequence[Id] | None) -> tuple[list[Id], IntArray]:
    """(distinct ids in order, position of each value among them). With `known`, positions are
    into `known` and an unknown value is an error. Integer ids take a vectorised path."""
    array = np.asarray(values) if values else np.zeros(0, dtype=np.int64)
    numeric = array.dtype.kind in "iu" and (known is None or all(
        isinstance(x, int) and not isinstance(x, bool) for x in known))
    if numeric and known is None:
        distinct, codes = np.unique(array, return_inverse=True)
        return [int(x) for x in distinct], codes.astype(np.int64)
    if numeric and known is not None:
        ref = np.asarray(known, dtype=np.int64)
        order = np.argsort(ref, kind="stable")
        at = np.clip(np.searchsorted(ref[order], array), 0, max(len(ref) - 1, 0))
        found = order[at] if len(ref) else at
        bad = ~np.isin(array, ref) if len(ref) else np.ones(array.size, dtype=bool)
        if bad.any():
            _unknown_statement(array[np.argmax(bad)].item())
        return list(known), found.astype(np.int64)
    ids = known if known is not None else sorted(set(values), key=_order)
    index = _index(ids)
    try:
        return list(ids), np.fromiter((index[x] for x in values), np.int64, len(values))
    except KeyError as e:
        _unknown_statement(e.args[0])
        raise  # unreachable: for the type checker


def _unknown_statement(statement: Any) -> None:
    raise ValueError(f"a vote is for statement {statement!r}, which is not among the "
                     "statements; add it or drop its votes")


def vote_arrays(votes: Iterable[Sequence[Any]], statements: Sequence[Id]) -> VoteArrays:
    """(participant, statement, vote[, timestamp]) rows as `VoteArrays`: convert once, analyse
    many times. Statements are put in id order (Polis breaks ties by statement id)."""
    statements = sorted(statements, key=_order)
    rows = list(votes)
    try:  # all numbers (the usual case): one conversion, no Python-level loop over columns
        table = np.array(rows, dtype=np.float64).reshape(len(rows), -1)
        integral = bool((table[:, :2] == np.round(table[:, :2])).all())
    except (ValueError, TypeError):
        table, integral = None, False
    if table is not None and integral and table.shape[1] >= 3:
        people, p_idx = _codes(table[:, 0].astype(np.int64).tolist(), None)
        _, s_idx = _codes(table[:, 1].astype(np.int64).tolist(), statements)
        vote = table[:, 2]
        times = table[:, 3] if table.shape[1] > 3 else np.zeros(len(rows))
    else:
        columns = list(zip(*rows, strict=False)) if rows else [(), (), (), ()]
        people, p_idx = _codes(list(columns[0]), None)
        _, s_idx = _codes(list(columns[1]), statements)
        vote = np.asarray(columns[2], dtype=np.float64)
        times = np.asarray(columns[3] if len(columns) > 3 else (0.0,) * len(rows), np.float64)
    if vote.size and not np.isin(vote, (-1, 0, 1)).all():
        raise ValueError("votes must be -1 (disagree), 0 (pass) or 1 (agree)")
    return VoteArrays(participants=people, statements=statements, participant_index=p_idx,
                      statement_index=s_idx, vote=vote.astype(np.int64), timestamp=times)


def _matrix(data: VoteArrays) -> _Matrix:
    """Sparse matrices of the latest vote of each participant on each statement."""
    p, s, v = data.participant_index, data.statement_index, data.vote
    if v.size and not np.isin(v, (-1, 0, 1)).all():
        raise ValueError("votes must be -1 (disagree), 0 (pass) or 1 (agree)")
    n_s = len(data.statements)
    if v.size and (s.min() < 0 or s.max() >= n_s):
        raise ValueError("a vote is for a statement that is not among the statements")
    key = p * n_s + s
    t = data.timestamp
    if t is None or not t.size or t.min() == t.max():
        order = np.argsort(key, kind="stable")  # no times: the later row wins
    else:
        order = np.lexsort((t, key))  # stable: the last of each (p, s) is the latest
    key = key[order]
    last = np.ones(order.size, dtype=bool)
    last[:-1] = key[1:] != key[:-1]
    keep = order[last]
    p, s, v = p[keep], s[keep], v[keep]
    used = np.unique(p)  # participants with at least one vote, in id order
    if used.size < len(data.participants):
        p = np.searchsorted(used, p)
    people = [data.participants[i] for i in used]
    shape = (len(people), n_s)

    def csr(mask: NDArray[np.bool_]) -> sp.csr_matrix:
        return sp.csr_matrix((np.ones(int(mask.sum())), (p[mask], s[mask])), shape=shape)

    return _Matrix(people, list(data.statements), csr(v == 1), csr(v == -1),
                   csr(np.ones(v.size, dtype=bool)), p, s, v)


# --- projection -------------------------------------------------------------------------------

def _pca(m: _Matrix, active: NDArray[np.bool_]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(component rows 2×S, column means, participant coordinates n×2).

    Missing votes are imputed with the column mean, so the centred matrix is zero where there is
    no vote and stays sparse. Participants are projected from their own votes only and scaled by
    √(statements / their votes), as Polis does, so that people who voted on few statements are
    not pulled towards the centre."""
    n_p, n_s = m.seen.shape
    counts = np.bincount(m.col, minlength=n_s).astype(np.float64)
    sums = np.bincount(m.col, weights=m.vote, minlength=n_s)
    mean = np.divide(sums, counts, out=np.zeros(n_s), where=counts > 0) * active
    centred = sp.csr_matrix(((m.vote - mean[m.col]) * active[m.col], (m.row, m.col)),
                            shape=(n_p, n_s))
    k = 2
    if min(n_p, n_s) <= k + 1 or n_p * n_s <= _DENSE_SVD_CELLS:
        _, _, vt = np.linalg.svd(centred.toarray(), full_matrices=False)
        comps = vt[:k]
    else:
        v0 = np.linspace(1.0, 2.0, min(n_p, n_s))  # a fixed start vector keeps ARPACK repeatable
        _, sv, vt = svds(centred, k=k, v0=v0, solver="arpack")
        comps = vt[np.argsort(-sv)]
    if comps.shape[0] < k:
        comps = np.vstack([comps, np.zeros((k - comps.shape[0], n_s))])
    # An eigenvector's sign is arbitrary: make the largest loading positive for repeatability.
    flip = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    comps = comps * np.where(flip == 0, 1.0, flip)[:, None]
    # Polis zeroes moderated-out and meta columns for everyone, so they count among each
    # participant's votes (as zeros) in the scaling, like a vote that says nothing.
    hidden = (counts > 0) & ~active
    n_votes = (np.asarray(m.seen.sum(axis=1)).ravel()
               - np.asarray(m.seen[:, np.flatnonzero(hidden)].sum(axis=1)).ravel() + hidden.sum())
    # "Statements" are the matrix's columns: those with at least one vote.
    n_cols = int((counts > 0).sum())
    scale = np.sqrt(np.divide(n_cols, n_votes, out=np.zeros(n_p), where=n_votes > 0))
    coords = np.asarray(centred @ comps.T) * scale[:, None]
    return comps, mean, coords


# --- clustering -------------------------------------------------------------------------------

def _sqdist(x: FloatArray, c: FloatArray) -> FloatArray:
    d: FloatArray = (x * x).sum(1)[:, None] - 2 * x @ c.T + (c * c).sum(1)[None, :]
    return np.maximum(d, 0.0)


def _sqdist_to(x: FloatArray, c: FloatArray) -> FloatArray:
    """Squared distances of the rows of `x` to one point (a column at a time: the points here
    have two coordinates, where summing along rows is slow)."""
    d: FloatArray = sum(((x[:, j] - c[j]) ** 2 for j in range(x.shape[1])),
                        start=np.zeros(len(x)))
    return d


def _nearest(x: FloatArray, centres: FloatArray) -> IntArray:
    """The nearest centre of each point (the first of equals)."""
    if len(x) * len(centres) > 50_000:  # many points and centres: compiled code, no n × k matrix
        return np.asarray(vq(x, centres, check_finite=False)[0], dtype=np.int64)
    d: FloatArray = sum(((x[:, j, None] - centres[None, :, j]) ** 2 for j in range(x.shape[1])),
                        start=np.zeros((len(x), len(centres))))
    return np.asarray(np.argmin(d, axis=1), dtype=np.int64)


def _draw(weight: FloatArray, rng: np.random.Generator) -> int:
    """An index drawn with probability proportional to `weight` (uniform if all are 0)."""
    cumulative = np.cumsum(weight)
    if cumulative[-1] <= 0:
        return int(rng.integers(len(weight)))
    return int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))


def _seeds(x: FloatArray, w: FloatArray, k: int, rng: np.random.Generator) -> FloatArray:
    """A weighted k-means++ start: k centres drawn from the points, far apart."""
    centres = np.empty((k, x.shape[1]))
    centres[0] = x[_draw(w, rng)]
    closest = _sqdist_to(x, centres[0])
    for j in range(1, k):
        centres[j] = x[_draw(w * closest, rng)]
        closest = np.minimum(closest, _sqdist_to(x, centres[j]))
    return centres


def _lloyd(x: FloatArray, w: FloatArray, centres: FloatArray,
           iterations: int) -> tuple[IntArray, FloatArray, float]:
    """Weighted Lloyd's k-means from `centres`, stopped as Polis stops it: when no centre moves
    by 0.01 or more (or after `iterations` rounds): (labels, centres, weighted inertia). A
    centre left without points stays where it was."""
    k = len(centres)
    labels = _nearest(x, centres)
    for _ in range(iterations):
        mass = np.bincount(labels, weights=w, minlength=k)
        sums = np.stack([np.bincount(labels, weights=w * x[:, d], minlength=k)
                         for d in range(x.shape[1])], axis=1)
        moved = np.where(mass[:, None] > 0, sums / np.maximum(mass, 1e-300)[:, None], centres)
        settled = bool((((moved - centres) ** 2).sum(1) < _SETTLED ** 2).all())
        centres = moved
        labels = _nearest(x, centres)
        if settled:
            break
    inertia = float(sum(w @ (x[:, j] - centres[labels, j]) ** 2 for j in range(x.shape[1])))
    return labels, centres, inertia


def _base_clusters(x: FloatArray, rng: np.random.Generator) -> tuple[IntArray, FloatArray]:
    """Up to 100 base clusters (Polis's first stage, run to convergence or 100 rounds as Polis
    does): (label per point, centres)."""
    distinct, inverse = np.unique(np.round(x, 12), axis=0, return_inverse=True)
    if len(distinct) <= BASE_CLUSTERS:
        return inverse.ravel().astype(np.int64), distinct
    w = np.ones(len(x))
    labels, centres, _ = _lloyd(x, w, _seeds(x, w, BASE_CLUSTERS, rng), 100)
    used, labels = np.unique(labels, return_inverse=True)  # drop empty clusters
    return labels.astype(np.int64), centres[used]


def _silhouette(centres: FloatArray, labels: IntArray, k: int) -> float:
    """Polis's silhouette: over the base clusters, each counting once, from the distances
    between their centres (a base cluster alone in its group scores 0)."""
    dist = np.sqrt(_sqdist(centres, centres))
    n = len(centres)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), labels] = 1.0
    count = onehot.sum(0)  # base clusters per group
    to_group = dist @ onehot  # summed distance from each base cluster to each group's
    own = count[labels] - 1
    a = np.divide(to_group[np.arange(n), labels], own, out=np.zeros(n), where=own > 0)
    mean_to = np.divide(to_group, count[None, :], out=np.full((n, k), np.inf),
                        where=count[None, :] > 0)
    mean_to[np.arange(n), labels] = np.inf
    b = mean_to.min(axis=1)
    s = np.divide(b - a, np.maximum(a, b), out=np.zeros(n), where=np.maximum(a, b) > 0)
    s[own <= 0] = 0.0
    return float(s.mean())


def _groups(coords: FloatArray, seed: int) -> tuple[IntArray, float]:
    """Group labels for the clusterable participants (2 to 5 groups by silhouette).

    As Polis: base clusters, then for each group count a k-means over the base-cluster centres
    weighted by their sizes, and the count with the best silhouette over the base clusters
    (at most 2 + one per 12 base clusters). Polis starts each k-means from the previous run's
    groups, so its groups follow the order in which votes arrived, which an export does not
    keep; here several seeded starts stand in for that history, each start's groups are then
    settled participant by participant (so the base clusters' own chance boundaries do not
    decide who is in which group), and the tightest result without a one-person group wins."""
    rng = np.random.default_rng(seed)
    base, centres = _base_clusters(coords, rng)
    weight = np.bincount(base).astype(np.float64)
    ones = np.ones(len(coords))
    best: tuple[float, IntArray] | None = None
    for k in range(2, min(MAX_GROUPS, 2 + len(centres) // 12, len(centres)) + 1):
        starts: dict[bytes, tuple[float, FloatArray]] = {}
        for _ in range(_RESTARTS):
            labels, found, inertia = _lloyd(centres, weight, _seeds(centres, weight, k, rng), 50)
            _, first = np.unique(labels, return_index=True)  # the same grouping, however numbered
            key = np.argsort(np.argsort(first))[labels].tobytes()
            starts.setdefault(key, (inertia, found))
        fits = []
        for _, start in sorted(starts.values(), key=lambda s: s[0])[:_REFINED]:
            labels, found, inertia = _lloyd(coords, ones, start, 100)
            if (np.bincount(labels, minlength=k) >= 2).all():  # never a one-person group
                fits.append((inertia, labels, found))
        if not fits:
            continue
        _, labels, found = min(fits, key=lambda f: f[0])
        score = _silhouette(centres, _nearest(centres, found), k)
        if best is None or score > best[0] + 1e-12:
            best = (score, labels)
    if best is None:
        return np.zeros(len(coords), dtype=np.int64), 0.0
    return best[1], best[0]


# --- statistics -------------------------------------------------------------------------------

def _p(success: FloatArray, trials: FloatArray) -> FloatArray:
    return (success + 1) / (trials + 2)


def _prop_test(success: FloatArray, trials: FloatArray) -> FloatArray:
    """Polis's one-proportion z (with a pseudo-count): is the share above one half?"""
    return 2 * np.sqrt(trials + 1) * ((success + 1) / (trials + 1) - 0.5)


def _two_prop_test(s1: FloatArray, s2: FloatArray, n1: FloatArray, n2: FloatArray) -> FloatArray:
    """Polis's two-proportion z (pseudo-counts on all four): is the share in higher than out?"""
    s1, s2, n1, n2 = s1 + 1, s2 + 1, n1 + 1, n2 + 1
    pooled = (s1 + s2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.divide(s1 / n1 - s2 / n2, spread, out=np.zeros_like(s1), where=spread > 0)


def _share(a: FloatArray, b: FloatArray) -> FloatArray:
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)


@dataclass
class _Counts:
    """Per group (rows) and statement (columns): agree, disagree and seen counts."""

    agree: FloatArray
    disagree: FloatArray
    seen: FloatArray


def _group_counts(m: _Matrix, rows: IntArray, labels: IntArray, k: int) -> _Counts:
    member = sp.csr_matrix((np.ones(rows.size), (labels, rows)), shape=(k, len(m.participants)))
    return _Counts(*(np.asarray((member @ x).todense(), dtype=np.float64)
                     for x in (m.agree, m.disagree, m.seen)))


def _representative(c: _Counts, g: int, excluded: NDArray[np.bool_], statements: Sequence[Id],
                    pick: int) -> list[StatementFigures]:
    """Polis's representative statements of group g: those significant both within the group and
    against the rest (one-sided 90 %), agreements first, each sorted by Polis's metric
    repness × repness-test × p × p-test, led by the best agreement."""
    n_in = c.seen[g]
    n_out = c.seen.sum(0) - n_in
    fig: dict[Direction, dict[str, FloatArray]] = {}
    pairs: tuple[tuple[Direction, FloatArray], ...] = (("agree", c.agree),
                                                       ("disagree", c.disagree))
    for d, counts in pairs:
        s_in = counts[g]
        s_out = counts.sum(0) - s_in
        p_in, p_out = _p(s_in, n_in), _p(s_out, n_out)
        fig[d] = {"n": s_in, "p": p_in, "pt": _prop_test(s_in, n_in), "r": p_in / p_out,
                  "rt": _two_prop_test(s_in, s_out, n_in, n_out),
                  "share_in": _share(s_in, n_in), "share_out": _share(s_out, n_out)}
    a, d_ = fig["agree"], fig["disagree"]
    direction = np.where(a["rt"] > d_["rt"], 0, 1)  # the more significant difference
    passes = np.where(direction == 0, (a["rt"] > Z_90) & (a["pt"] > Z_90),
                      (d_["rt"] > Z_90) & (d_["pt"] > Z_90)) & ~excluded
    metric = {key: f["r"] * f["rt"] * f["p"] * f["pt"] for key, f in fig.items()}

    def entry(j: int, which: Direction, best: bool = False) -> StatementFigures:
        f = fig[which]
        return StatementFigures(
            statement=statements[j], direction=which, n_success=int(f["n"][j]),
            n_trials=int(n_in[j]), p_success=float(f["p"][j]), p_test=float(f["pt"][j]),
            share_in=float(f["share_in"][j]), share_out=float(f["share_out"][j]),
            repness=float(f["r"][j]), repness_test=float(f["rt"][j]), best_agree=best)

    # Best agreement: Polis's running "beats best agree" comparison, in statement order. The
    # first statement the group voted on starts it; while the best so far is agreed with more
    # in the group than outside (repness > 1), a challenger needs a higher metric, otherwise a
    # higher p × p-test (something the group broadly agrees on).
    best_agree: int | None = None
    for j in range(len(statements)):
        if excluded[j] or (a["n"][j] == 0 and n_in[j] == 0):
            continue
        if best_agree is None:  # the first statement voted on starts the comparison
            ok = True
        elif a["r"][best_agree] > 1.0:
            ok = bool(metric["agree"][j] > metric["agree"][best_agree])
        else:
            ok = bool(a["p"][j] * a["pt"][j] > a["p"][best_agree] * a["pt"][best_agree])
        if ok:
            best_agree = int(j)
    # The strongest by Polis's metric make the cut; agreements are then listed first.
    chosen = sorted((int(j) for j in np.flatnonzero(passes) if j != best_agree),
                    key=lambda j: (-round(float(metric[_DIRS[direction[j]]][j]), 9), j))
    chosen = chosen[:pick - (best_agree is not None)]
    picked: list[StatementFigures] = []
    for side in (0, 1):  # the best agreement leads the statements of its own direction
        if best_agree is not None and direction[best_agree] == side:
            picked.append(entry(best_agree, _DIRS[side], best=True))
        picked += [entry(j, _DIRS[side]) for j in chosen if direction[j] == side]
    if not picked:  # nothing significant: show the most distinctive statement all the same
        rt = np.where(excluded, -np.inf, np.maximum(a["rt"], d_["rt"]))
        if rt.size and np.isfinite(rt.max()):
            j = int(np.argmax(rt))
            picked.append(entry(j, "agree" if a["rt"][j] >= d_["rt"][j] else "disagree"))
    return picked


def _consensus(m: _Matrix, excluded: NDArray[np.bool_], gac: FloatArray | None,
               pick: int) -> list[StatementFigures]:
    """Polis's consensus statements over everyone: share above one half and significant
    (one-sided 90 %), the strongest p-test first, up to `pick` per direction."""
    seen = np.asarray(m.seen.sum(axis=0), dtype=np.float64).ravel()
    result: list[StatementFigures] = []
    for which, matrix, row in (("agree", m.agree, 0), ("disagree", m.disagree, 1)):
        n = np.asarray(matrix.sum(axis=0), dtype=np.float64).ravel()
        p, z = _p(n, seen), _prop_test(n, seen)
        ok = np.flatnonzero((p > 0.5) & (z > Z_90) & ~excluded)
        # Polis ranks consensus by p × p-test (rounded so float noise does not reorder ties).
        for j in sorted(ok, key=lambda j: (-round(float(p[j] * z[j]), 9), j))[:pick]:
            result.append(StatementFigures(
                statement=m.statements[j], direction=which,  # type: ignore[arg-type]
                n_success=int(n[j]), n_trials=int(seen[j]), p_success=float(p[j]),
                p_test=float(z[j]), share_in=float(_share(n, seen)[j]),
                group_aware_consensus=None if gac is None else float(gac[row, j])))
    return result


def _priorities(m: _Matrix, rows: IntArray, comps: FloatArray, mean: FloatArray,
                excluded: NDArray[np.bool_], meta: NDArray[np.bool_]) -> FloatArray:
    """Polis's routing priority: (importance × (1 + 8·2^(−S/5)))², where importance is
    (1 − p_pass)(1 + extremity) p_agree over the participants in `rows` (those clustered),
    extremity is how far from the centre a participant who agreed with only that statement
    would be projected, and the second factor lets new statements bubble up. Meta statements
    get 7²; moderated-out ones 0 (never shown)."""
    n_cols = int(np.count_nonzero(np.asarray(m.seen.sum(axis=0)).ravel()))  # voted statements
    a, d, s = (np.asarray(x[rows].sum(axis=0), dtype=np.float64).ravel()
               for x in (m.agree, m.disagree, m.seen))
    extremity = np.abs(1 - mean) * np.linalg.norm(comps, axis=0) * np.sqrt(n_cols)
    importance = (1 - _p(s - a - d, s)) * (1 + extremity) * _p(a, s)
    priority = (importance * (1 + 8 * 2 ** (-s / 5))) ** 2
    priority = np.where(meta, META_PRIORITY ** 2, priority)
    return np.where(excluded & ~meta, 0.0, priority)


def _stable_hash(x: Id) -> int:
    """A hash that does not change between runs (Python salts str hashes)."""
    return int.from_bytes(repr(x).encode()[-16:].ljust(16, b"\0"), "little") % (2 ** 63)


# --- the public API ---------------------------------------------------------------------------

def analyze(votes: Iterable[Sequence[Any]] | VoteArrays, statements: Sequence[Id], *,
            moderated_out: Iterable[Id] = (), meta: Iterable[Id] = (),
            groups: Mapping[Any, int] | None = None, seed: int = 0,
            pick_max: int = PICK_MAX) -> Analysis:
    """Analyse a conversation.

    `votes`: (participant, statement, vote, timestamp) rows with vote 1 agree, -1 disagree,
    0 pass (the latest per participant and statement counts), or `VoteArrays`. `statements`:
    every statement id. `groups`: participant -> group id to use instead of clustering (then
    consensus and representativeness are computed on those groups). A conversation too small
    to cluster gives no groups, a reason in `too_small`, and still its tallies and consensus.
    """
    data = votes if isinstance(votes, VoteArrays) else vote_arrays(votes, statements)
    if len(set(data.statements)) != len(data.statements):
        raise ValueError("statement ids must be unique; give each statement its own id")
    m = _matrix(data)
    sindex = _index(m.statements)
    excluded = np.zeros(len(m.statements), dtype=bool)
    is_meta = np.zeros(len(m.statements), dtype=bool)
    excluded[[sindex[s] for s in moderated_out if s in sindex]] = True
    is_meta[[sindex[s] for s in meta if s in sindex]] = True
    hidden = excluded | is_meta  # zeroed for the projection; never representative or consensus
    n_p, n_s = len(m.participants), len(m.statements)
    tallies_a = np.asarray(m.agree.sum(axis=0)).ravel().astype(int)
    tallies_d = np.asarray(m.disagree.sum(axis=0)).ravel().astype(int)
    tallies_s = np.asarray(m.seen.sum(axis=0)).ravel().astype(int)
    tallies = {sid: Tally(sid, int(tallies_a[j]), int(tallies_d[j]),
                          int(tallies_s[j] - tallies_a[j] - tallies_d[j]))
               for j, sid in enumerate(m.statements)}
    n_votes = np.asarray(m.seen.sum(axis=1)).ravel()
    clusterable = np.flatnonzero(n_votes >= min(MIN_VOTES, n_s))
    if n_p and (~hidden).any():
        comps, mean, coords = _pca(m, ~hidden)
    else:
        comps, mean, coords = np.zeros((2, n_s)), np.zeros(n_s), np.zeros((n_p, 2))
    too_small: str | None = None
    silhouette: float | None = None
    if groups is not None:
        pindex = _index(m.participants)
        given = sorted((pindex[p], g) for p, g in groups.items() if p in pindex)
        rows = np.array([r for r, _ in given], dtype=np.int64)
        ids = sorted({g for _, g in given})
        labels = np.array([ids.index(g) for _, g in given], dtype=np.int64)
        group_ids = ids
    else:
        rows = clusterable
        active = int((~hidden).sum())
        if active < 2 or rows.size < 4:
            too_small = (f"{rows.size} participants have voted on at least {min(MIN_VOTES, n_s)} "
                         f"statements and {active} statements are open for voting; at least 4 "
                         "participants and 2 statements are needed to form groups")
            rows = np.zeros(0, dtype=np.int64)
            labels = np.zeros(0, dtype=np.int64)
        else:
            labels, silhouette = _groups(coords[rows], seed)
        # Number groups by size (largest first), ties by their first member.
        k0 = int(labels.max()) + 1 if labels.size else 0
        order = sorted(range(k0), key=lambda g: (-int((labels == g).sum()),
                                                 int(rows[labels == g].min())))
        relabel = np.empty(k0, dtype=np.int64)
        relabel[order] = np.arange(k0)
        labels = relabel[labels] if labels.size else labels
        group_ids = list(range(k0))
    k = len(group_ids)
    gac: FloatArray | None = None
    group_list: list[Group] = []
    if k:
        counts = _group_counts(m, rows, labels, k)
        gac = np.vstack([np.prod(_p(counts.agree, counts.seen), axis=0),
                         np.prod(_p(counts.disagree, counts.seen), axis=0)])
        for g, gid in enumerate(group_ids):
            members = [m.participants[r] for r in rows[labels == g]]
            group_list.append(Group(gid, members, _representative(
                counts, g, hidden, m.statements, pick_max) if k > 1 else []))
    return Analysis(
        participants=m.participants, statements=m.statements, votes=int(m.seen.nnz),
        tallies=tallies, clustered=[m.participants[r] for r in clusterable], groups=group_list,
        consensus=_consensus(m, hidden, gac, pick_max),
        group_aware_consensus={} if gac is None else {
            sid: (float(gac[0, j]), float(gac[1, j])) for j, sid in enumerate(m.statements)},
        coordinates={p: (float(coords[i, 0]), float(coords[i, 1]))
                     for i, p in enumerate(m.participants)},
        priorities={sid: float(x) for sid, x in zip(
            m.statements, _priorities(m, clusterable, comps, mean, excluded, is_meta), strict=True)},
        too_small=too_small, silhouette=silhouette, groups_given=groups is not None)


def next_statement(participant: Id, analysis: Analysis, voted: Iterable[Id] = (), *,
                   seed: int) -> Id | None:
    """The statement to show `participant` next, as Polis routes: a weighted random choice among
    the statements they have not voted on (`voted`: the analysis keeps no per-person record),
    weighted by priority; seeded with (seed, participant) so it is repeatable. None when nothing
    is left."""
    done = set(voted)
    candidates = [s for s in analysis.statements
                  if s not in done and analysis.priorities.get(s, 0.0) > 0]
    if not candidates:
        return None
    weight = np.array([analysis.priorities[s] for s in candidates])
    rng = np.random.default_rng([seed, _stable_hash(participant)])
    return candidates[int(rng.choice(len(candidates), p=weight / weight.sum()))]
