"""Benchmark of the matching engine.

    .venv/bin/python -m bench.matching --runs sparse:5000x2500 district:5000x2500 city:50000x20000

For each run (regime and size, mentees x volunteers): generate a seeded
problem (:mod:`bench.generate`: ``sparse`` state, ``district`` or ``city``),
run ``python -m matching propose`` as a separate process per solver
(``exact`` only up to ``--exact-up-to`` mentees), and report per run:

* seconds end to end (``python -m matching propose``: process start to
  output written) and peak memory (max RSS of that process); seconds per
  stage from a second, instrumented run;
* pairs matched vs the maximum matchable (max flow over all proposable pairs);
* total score vs ``exact``; the optimality gap ``fast`` proves, and its pricing rounds;
* planted pairs: share whose partner scores highest among the mentee's
  options; share proposed (all; those whose partner is clearly the best by
  score: ahead of every other option of both sides by ``CLEAR_MARGIN``, and
  not the only option of another mentee; and those of them that are also
  coverage-compatible: some maximum-coverage assignment contains the pair,
  checked exactly by :func:`coverage_compatible`, since the contract puts
  coverage first); how many planted pairs are coverage-incompatible; and
  share proposed when the planted mentees are matched alone (no competition);
* lowest and 10th-percentile score of proposed pairs;
* blocking pairs (a mentee and a volunteer who would both prefer each other
  to what they got: higher score, or unmatched / a free place);
* hard-constraint violations, checked by the tests' independent reference
  (``tests/matching/matching_reference.py``), plus capacity and locked pairs.

``--measure`` is the child mode used internally (one propose run).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CLEAR_MARGIN = 0.1
ORACLE_PAIRS = 40_000_000
"""Above this many proposable pairs the all-pairs analyses (max-flow oracle, coverage compatibility,
blocking pairs, score-clear planted pairs) are skipped: they would need every pair in memory."""
LAUNCHER = (
    "import resource, subprocess, sys, time\n"
    "started = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True)\n"
    "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)
sys.path.insert(0, str(ROOT / "tests" / "matching"))  # the tests' independent reference


def measure(problem_path: str, solver: str, output_path: str) -> None:
    """Child process: one run like the CLI's, with stage timings, printed as JSON."""
    gc.disable()  # as the CLI does
    started = time.perf_counter()
    from matching import propose
    from matching.cli import tune_allocator

    tune_allocator()  # as python -m matching does

    stages = {"import": time.perf_counter() - started}
    clock = time.perf_counter()
    with open(problem_path, encoding="utf-8") as handle:
        problem = json.load(handle)
    stages["load_json"] = time.perf_counter() - clock
    proposals = propose(problem, solver=solver, timings=stages)
    clock = time.perf_counter()
    Path(output_path).write_text(json.dumps(proposals, ensure_ascii=False), encoding="utf-8")
    stages["write_json"] = time.perf_counter() - clock
    print(json.dumps({"stages": stages}))


def run_solver(problem_path: Path, solver: str, workdir: Path) -> tuple[dict, dict]:
    """End to end: ``python -m matching propose`` in a fresh process (wall time, peak RSS),
    then a second run in the child mode above for the split by stage."""
    output = workdir / f"out-{solver}.json"
    # A small launcher process runs the CLI: a child's peak RSS counts what it inherits at
    # fork, so forking straight from this (big) process would overstate the engine's memory.
    launched = subprocess.run(
        [
            sys.executable,
            "-c",
            LAUNCHER,
            sys.executable,
            "-m",
            "matching",
            "propose",
            str(problem_path),
            "-o",
            str(output),
            "--solver",
            solver,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, peak_kb = launched.stdout.split()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.matching",
            "--measure",
            str(problem_path),
            "--solver",
            solver,
            "--out",
            str(workdir / "stages.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured.update(wall=float(wall), peak_mb=int(peak_kb) / 1024)
    return measured, json.loads(output.read_text(encoding="utf-8"))


def all_proposable_pairs(problem: dict):
    """Every proposable pair with its score, via the engine's own enumeration (no pruning)."""
    from matching.candidates import Scanner, all_proposable
    from matching.encoding import encode
    from matching.engine import _remaining_capacity

    enc = encode(problem)
    locked = {m for m, _ in enc.locked}
    free = np.array([m for m in range(len(enc.mentees.ids)) if m not in locked], dtype=np.int64)
    return enc, all_proposable(Scanner(enc), free), _remaining_capacity(enc)


def count_proposable(problem: dict) -> tuple[int, int]:
    """Proposable pairs of the free mentees, counted block by block (none kept), and mentees."""
    from matching.candidates import Scanner
    from matching.encoding import encode

    enc = encode(problem)
    locked = {m for m, _ in enc.locked}
    free = np.array([m for m in range(len(enc.mentees.ids)) if m not in locked], dtype=np.int64)
    scanner = Scanner(enc)
    count = sum(
        int(np.count_nonzero(block.bound >= 0)) for rows in scanner.groups(free) for block in scanner.evaluate(rows)
    )
    return count, len(enc.mentees.ids)


def light_quality(problem: dict, proposals: dict, planted: list) -> dict:
    """What can be measured without every pair: planted recovery and ranking, the score spread."""
    from matching import propose

    free_pairs = [p for p in proposals["pairs"] if not p["locked"]]
    scores = np.array([p["score"] for p in free_pairs]) if free_pairs else np.zeros(1)
    chosen = {(p["volunteer"], p["mentee"]) for p in proposals["pairs"]}
    ids = {m for _, m in planted}
    # Each planted mentee's best option, from the engine run on the planted mentees alone
    # (alternatives = everyone else, best first).
    alone = {
        **problem,
        "settings": {**problem.get("settings", {}), "alternatives": 1},
        "mentees": [m for m in problem["mentees"] if m["id"] in ids],
        "locked": [],
        "excluded": [p for p in problem.get("excluded", []) if p["mentee"] in ids],
    }
    out = propose(alone, solver="fast")
    best = {p["mentee"]: (p["score"], p["volunteer"]) for p in out["pairs"]}
    for mentee, others in out["alternatives"].items():
        if others and others[0]["score"] > best.get(mentee, (-1, ""))[0]:
            best[mentee] = (others[0]["score"], others[0]["volunteer"])
    return {
        "planted_ranked_first": sum(best.get(m, (0, ""))[1] == v for v, m in planted) / max(1, len(planted)),
        "planted_recovered": sum(pair in chosen for pair in planted) / max(1, len(planted)),
        "lowest_score": float(scores.min()),
        "p10_score": float(np.percentile(scores, 10)),
    }


def coverage_compatible(mentee: np.ndarray, volunteer: np.ndarray, capacity: np.ndarray, queries) -> tuple:
    """Maximum matchable, and for each query (volunteer, mentee): does some maximum assignment contain it?

    One max flow F (source -> mentee 1 -> volunteer 1 -> sink capacity[v]) over the pairs given. Two
    maximum flows differ by a circulation in the residual graph of F, so a pair without flow in F lies
    in some maximum flow iff the residual graph has a cycle through it: mentee and volunteer in the
    same strongly connected component (cycles through source or sink included: that frees another
    mentee's place, or uses a free one). Equivalent to fixing the pair and checking that the rest
    still matches the maximum minus one (``tests/matching/test_bench_coverage.py`` checks both agree).
    A query that is not among the pairs is incompatible.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components, maximum_flow

    mentees, m_node = np.unique(mentee, return_inverse=True)
    volunteers, v_node = np.unique(volunteer, return_inverse=True)
    n_m, n_v = len(mentees), len(volunteers)
    sink = 1 + n_m + n_v
    tails = np.r_[np.zeros(n_m, np.int64), 1 + m_node, 1 + n_m + np.arange(n_v)]
    heads = np.r_[1 + np.arange(n_m), 1 + n_m + v_node, np.full(n_v, sink)]
    caps = np.r_[np.ones(n_m + len(m_node)), capacity[volunteers]].astype(np.int32)
    graph = sp.csr_matrix((caps, (tails, heads)), shape=(sink + 1, sink + 1))
    result = maximum_flow(graph, 0, sink, method="dinic")
    queries = list(queries)
    if not queries or not len(mentee):
        return int(result.flow_value), np.zeros(len(queries), dtype=bool)
    flow = result.flow.tocsr()  # antisymmetric: f(w, u) = -f(u, w)
    residual = (graph.astype(np.int64) - flow.astype(np.int64)).tocsr()
    residual.data = (residual.data > 0).astype(np.int8)
    residual.eliminate_zeros()
    _, label = connected_components(residual, directed=True, connection="strong")
    q_v = np.array([v for v, _ in queries], dtype=np.int64)
    q_m = np.array([m for _, m in queries], dtype=np.int64)
    pos_m = np.minimum(np.searchsorted(mentees, q_m), n_m - 1)
    pos_v = np.minimum(np.searchsorted(volunteers, q_v), n_v - 1)
    known = (mentees[pos_m] == q_m) & (volunteers[pos_v] == q_v)
    node_m, node_v = 1 + pos_m, 1 + n_m + pos_v
    is_pair = known & (np.asarray(graph[node_m, node_v]).ravel() > 0)
    carries = np.asarray(flow[node_m, node_v]).ravel() > 0
    compatible = is_pair & (carries | (label[node_m] == label[node_v]))
    return int(result.flow_value), compatible


def violations(problem: dict, proposals: dict) -> int:
    import matching_reference as ref

    volunteers = {v["id"]: v for v in problem["volunteers"]}
    mentees = {m["id"]: m for m in problem["mentees"]}
    locked = {(p["volunteer"], p["mentee"]) for p in problem.get("locked", [])}
    # The reference rebuilds lookups per call; give it a problem with only what it needs.
    load: dict[str, int] = {}
    count = 0
    for pair in proposals["pairs"]:
        key = (pair["volunteer"], pair["mentee"])
        load[key[0]] = load.get(key[0], 0) + 1
        if pair["locked"] != (key in locked):
            count += 1
        elif not pair["locked"] and not ref.feasible(problem, volunteers[key[0]], mentees[key[1]]):
            count += 1
    places = {v: min(volunteers[v]["capacity"], ref.hours_capacity(problem, volunteers[v])) for v in load}
    count += sum(1 for v, n in load.items() if n > places[v] and n > sum(1 for lv, _ in locked if lv == v))
    count += len(locked - {(p["volunteer"], p["mentee"]) for p in proposals["pairs"]})
    seen = [p["mentee"] for p in proposals["pairs"]]
    return count + len(seen) - len(set(seen))


def quality(enc, cands, remaining: np.ndarray, proposals: dict, planted: list, compatible: set) -> dict:
    """Scores, planted recovery and blocking pairs of one output (``compatible``: the planted pairs
    that some maximum-coverage assignment contains)."""
    free_pairs = [p for p in proposals["pairs"] if not p["locked"]]
    scores = np.array([p["score"] for p in free_pairs]) if free_pairs else np.zeros(1)
    m_of = {mid: i for i, mid in enumerate(enc.mentees.ids)}
    v_of = {vid: i for i, vid in enumerate(enc.volunteers.ids)}
    got = np.full(len(enc.mentees.ids), -1.0)
    holder = np.full(len(enc.mentees.ids), -1)
    for p in proposals["pairs"]:
        got[m_of[p["mentee"]]] = p["score"]
        holder[m_of[p["mentee"]]] = v_of[p["volunteer"]]
    # A volunteer's worst current mentee (or -1 if it has a free place).
    worst = np.full(len(enc.volunteers.ids), 2.0)
    load = np.zeros(len(enc.volunteers.ids), dtype=np.int64)
    for p in proposals["pairs"]:
        v = v_of[p["volunteer"]]
        worst[v] = min(worst[v], p["score"])
        load[v] += 1
    worst[load < enc.capacity] = -1.0
    pair_score = cands.score / 1e6
    blocking = int(
        (
            (pair_score > got[cands.mentee] + 1e-9)
            & (holder[cands.mentee] != cands.volunteer)
            & (pair_score > worst[cands.volunteer] + 1e-9)
        ).sum()
    )
    chosen = {(p["volunteer"], p["mentee"]) for p in proposals["pairs"]}
    best_other_m = _best_excluding(cands.mentee, cands.volunteer, pair_score, len(enc.mentees.ids))
    best_other_v = _best_excluding(cands.volunteer, cands.mentee, pair_score, len(enc.volunteers.ids))
    key_score = _pair_lookup(cands, pair_score, len(enc.mentees.ids), [(v_of[v], m_of[m]) for v, m in planted])
    options = np.bincount(cands.mentee, minlength=len(enc.mentees.ids))
    sole_option_for = np.bincount(cands.volunteer[options[cands.mentee] == 1], minlength=len(enc.volunteers.ids))
    clear = []
    for vid, mid in planted:
        v, m = v_of[vid], m_of[mid]
        s = key_score.get((v, m))
        if (
            s is not None
            and s - max(best_other_m(m, v), best_other_v(v, m)) >= CLEAR_MARGIN
            and sole_option_for[v] == 0
        ):
            clear.append((vid, mid))
    ranked_first = sum(
        1 for vid, mid in planted if key_score.get((v_of[vid], m_of[mid]), -1) > best_other_m(m_of[mid], v_of[vid])
    )
    return {
        "planted_ranked_first": ranked_first / max(1, len(planted)),
        "planted_recovered": sum(pair in chosen for pair in planted) / max(1, len(planted)),
        "planted_clear": len(clear),
        "clear_recovered": sum(pair in chosen for pair in clear) / max(1, len(clear)),
        "planted_clear_compatible": sum(pair in compatible for pair in clear),
        "clear_compatible_recovered": sum(pair in chosen and pair in compatible for pair in clear)
        / max(1, sum(pair in compatible for pair in clear)),
        "compatible_recovered": sum(pair in chosen for pair in compatible) / max(1, len(compatible)),
        "lowest_score": float(scores.min()),
        "p10_score": float(np.percentile(scores, 10)),
        "blocking_pairs": blocking,
    }


def _pair_lookup(cands, score: np.ndarray, n_mentees: int, queries: list[tuple[int, int]]) -> dict:
    """Scores of the queried (volunteer, mentee) pairs that are proposable (no dict of all pairs)."""
    keys = cands.volunteer.astype(np.int64) * n_mentees + cands.mentee
    order = np.argsort(keys)
    wanted = np.array([v * n_mentees + m for v, m in queries], dtype=np.int64)
    position = np.minimum(np.searchsorted(keys, wanted, sorter=order), max(len(keys) - 1, 0))
    found = keys[order[position]] == wanted if len(keys) else np.zeros(len(wanted), bool)
    return {
        query: float(score[order[k]])
        for query, k, hit in zip(queries, position.tolist(), found.tolist(), strict=True)
        if hit
    }


def _best_excluding(owner: np.ndarray, other: np.ndarray, score: np.ndarray, n: int):
    """f(i, j): best score of owner i over all partners except j (top two per owner)."""
    order = np.lexsort((-score, owner))
    first = np.full(n, -1.0)
    first_partner = np.full(n, -1)
    second = np.full(n, -1.0)
    starts = np.flatnonzero(np.r_[True, owner[order][1:] != owner[order][:-1]]) if len(order) else []
    for s in starts:
        i = owner[order[s]]
        first[i], first_partner[i] = score[order[s]], other[order[s]]
        if s + 1 < len(order) and owner[order[s + 1]] == i:
            second[i] = score[order[s + 1]]
    return lambda i, j: second[i] if first_partner[i] == j else first[i]


def planted_alone(problem: dict, planted: list) -> float:
    """Recovery without competition: only the planted mentees, against all volunteers."""
    from matching import propose

    ids = {m for _, m in planted}
    alone = {
        **problem,
        "mentees": [m for m in problem["mentees"] if m["id"] in ids],
        "locked": [],
        "excluded": [p for p in problem.get("excluded", []) if p["mentee"] in ids],
    }
    chosen = {(p["volunteer"], p["mentee"]) for p in propose(alone, solver="fast")["pairs"]}
    return sum(pair in chosen for pair in planted) / max(1, len(planted))


def machine() -> dict:
    import numpy
    import scipy
    import sklearn

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
    }


def bench_size(n_mentees: int, n_volunteers: int, exact_up_to: int, seed: int, regime: str = "sparse") -> dict:
    from bench.generate import generate

    shape, *extras = regime.split("+")
    unknown = set(extras) - {"questionnaire", "alike", "postcodes", "ample", "stranded"}
    if unknown:
        raise ValueError(
            f"unknown addition to a regime: {sorted(unknown)} "
            "(only +questionnaire, +alike, +postcodes, +ample, +stranded)"
        )
    asked = {extra: True for extra in extras}
    problem, planted = generate(n_mentees, n_volunteers, seed=seed, regime=shape, **asked)
    row: dict = {
        "regime": regime,
        "size": f"{n_mentees}x{n_volunteers}",
        "places": sum(v["capacity"] for v in problem["volunteers"]),
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "problem.json"
        path.write_text(json.dumps(problem), encoding="utf-8")
        solvers = ["fast"] + (["exact"] if n_mentees <= exact_up_to else [])
        runs = {solver: run_solver(path, solver, workdir) for solver in solvers}
    row["proposable_pairs"], mentees = count_proposable(problem)
    row["per_mentee"] = round(row["proposable_pairs"] / max(1, mentees))
    row["planted"] = len(planted)
    oracle = row["proposable_pairs"] <= ORACLE_PAIRS
    if oracle:
        enc, cands, remaining = all_proposable_pairs(problem)
        m_of = {mid: i for i, mid in enumerate(enc.mentees.ids)}
        v_of = {vid: i for i, vid in enumerate(enc.volunteers.ids)}
        flow, ok = coverage_compatible(
            cands.mentee, cands.volunteer, remaining, [(v_of[vid], m_of[mid]) for vid, mid in planted]
        )
        compatible = {pair for pair, good in zip(planted, ok.tolist(), strict=True) if good}
        row["max_matchable"] = flow + len(problem["locked"])
        row["planted_incompatible"] = len(planted) - len(compatible)
    for solver, (measured, proposals) in runs.items():
        metrics = proposals["metrics"]
        row[solver] = {
            "wall_s": round(measured["wall"], 2),
            "peak_mb": round(measured["peak_mb"]),
            "stages_s": {k: round(v, 2) for k, v in measured["stages"].items()},
            "matched": metrics["matched"],
            "total_score": metrics["total_score"],
            "proven_gap": metrics.get("proven_gap"),
            "rounds": metrics.get("rounds"),
            "violations": violations(problem, proposals),
            **(
                quality(enc, cands, remaining, proposals, planted, compatible)
                if oracle
                else light_quality(problem, proposals, planted)
            ),
        }
    row["planted_alone_recovered"] = planted_alone(problem, planted)
    if "exact" in runs:
        row["fast_vs_exact"] = row["fast"]["total_score"] / max(1e-9, row["exact"]["total_score"])
    return row


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def markdown(report: dict) -> str:
    """The rows as Markdown tables (for bench/README.md)."""
    m = report["machine"]
    lines = [
        f"Machine: {m['cores']} cores, {m['cpu']}; Python {m['python']}, numpy {m['numpy']}, "
        f"scipy {m['scipy']}, scikit-learn {m['sklearn']}.",
        "",
        "| regime | size (mentees x volunteers) | places | proposable pairs (per mentee) | solver | end to end s "
        "| peak MB | matched / max matchable | total score | vs exact | proven gap (rounds) | violations "
        "| lowest / p10 score | blocking pairs | planted (n) / coverage-incompatible "
        "| planted: ranked first / proposed / clear proposed (n) / clear & coverage-compatible proposed (n) / alone |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in report["rows"]:
        for solver in ("fast", "exact"):
            if solver not in row:
                continue
            r = {"blocking_pairs": "–", "planted_clear": "–", "planted_clear_compatible": "–", **row[solver]}
            row = {"max_matchable": "– (proven)", "planted_incompatible": "–", **row}
            versus = f"{row['fast_vs_exact']:.5%}" if solver == "fast" and "fast_vs_exact" in row else "–"
            gap = "–" if r.get("proven_gap") is None else f"{r['proven_gap']:.5%} ({r['rounds']})"
            lines.append(
                f"| {row['regime']} | {row['size']} | {row['places']} "
                f"| {row['proposable_pairs']} ({row['per_mentee']}) | {solver} | {r['wall_s']} | {r['peak_mb']} "
                f"| {r['matched']} / {row['max_matchable']} "
                f"| {r['total_score']:.2f} | {versus} | {gap} | {r['violations']} "
                f"| {r['lowest_score']:.3f} / {r['p10_score']:.3f} | {r['blocking_pairs']} "
                f"| {row['planted']} / {row['planted_incompatible']} "
                f"| {r['planted_ranked_first']:.0%} / {r['planted_recovered']:.0%} / "
                f"{_share(r.get('clear_recovered'))} ({r['planted_clear']}) / "
                f"{_share(r.get('clear_compatible_recovered'))} ({r['planted_clear_compatible']}) / "
                f"{row['planted_alone_recovered']:.0%} |"
            )
    stages = list(
        dict.fromkeys(s for row in report["rows"] for k in ("fast", "exact") if k in row for s in row[k]["stages_s"])
    )
    lines += [
        "",
        "Seconds per stage (instrumented run; groups and the locked pairs' reasons are computed "
        "meanwhile, on a thread of their own):",
        "",
        "| regime | size | solver | " + " | ".join(stages) + " |",
        "|---|---|---|" + "---|" * len(stages),
    ]
    for row in report["rows"]:
        for solver in ("fast", "exact"):
            if solver in row:
                lines.append(
                    f"| {row['regime']} | {row['size']} | {solver} | "
                    + " | ".join(str(row[solver]["stages_s"].get(s, "")) for s in stages)
                    + " |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs",
        nargs="+",
        default=[
            "sparse:5000x2500",
            "district:5000x2500",
            "sparse:50000x20000",
            "district:50000x20000",
            "city:50000x20000",
            "district+alike:5000x2500",
            "city+alike:50000x20000",
            "city+postcodes:50000x20000",
            "district+stranded:50000x20000",
            "district+questionnaire:50000x20000",
            "city+questionnaire+ample:50000x20000",
            "city+ample:5000x2500",
            "city+ample:50000x20000",
            "city+ample:20000x50000",
        ],
        help="REGIME:MENTEESxVOLUNTEERS, regimes as in bench.generate.REGIMES; REGIME+questionnaire "
        "adds the questionnaire's optional fields (urgent needs, one-off helpers, hours, needs a group serves), "
        "REGIME+alike gives everyone the same answers (nearly all pairs tie), REGIME+postcodes places everyone "
        "at one of 2,000 places around their town (many small groups), REGIME+ample keeps the places the volunteers "
        "give (about two each) where the regime would limit them to about half the mentees, REGIME+stranded gives "
        "three in ten mentees a language no volunteer speaks (nobody can take them; each needs its reason)",
    )
    parser.add_argument("--exact-up-to", type=int, default=5000, help="run exact up to this many mentees")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="also write the rows here")
    parser.add_argument("--markdown", help="print the tables of a --json file and exit")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--solver", default="fast", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.solver, args.out)
        return
    if args.markdown:
        print(markdown(json.loads(Path(args.markdown).read_text(encoding="utf-8"))))
        return
    rows = []
    print(json.dumps({"machine": machine()}))
    for run in args.runs:
        regime, size = run.split(":") if ":" in run else ("sparse", run)
        n_mentees, n_volunteers = map(int, size.lower().split("x"))
        rows.append(bench_size(n_mentees, n_volunteers, args.exact_up_to, args.seed, regime))
        print(json.dumps(rows[-1]), flush=True)
        if args.json:  # after every run: a long benchmark keeps what it measured
            Path(args.json).write_text(json.dumps({"machine": machine(), "rows": rows}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
