"""Command line: ``python -m matching propose PROBLEM.json [-o OUT.json] [--solver S]``.

``python -m matching rank-appointment INPUT.json [-o OUT.json] [--limit N]`` ranks the
volunteers of INPUT (``{"request": ..., "volunteers": [...]}``) for one appointment.

Exit status: 0 success, 2 invalid problem (also unreadable file or invalid
JSON), with a one-line message on standard error; 1 if the output cannot be
written.
"""

from __future__ import annotations

import argparse
import codecs
import ctypes
import gc
import sys
from collections.abc import Sequence

import orjson

from .appointments import rank, ranking_to_json, request_from_json, volunteer_from_json
from .engine import SOLVERS, propose
from .validation import ProblemError

EXIT_INVALID = 2
EXIT_OUTPUT = 1


_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3  # glibc's mallopt() parameters
KEEP_FREED_BYTES = 1 << 30
"""Freed memory the allocator keeps for reuse instead of returning it to the system."""
MMAP_FROM_BYTES = 1 << 25
"""Allocations at least this large get pages of their own, given back when freed: the block scan's
temporaries stay below, arrays over millions of pairs do not (from 256 MB down to 32 MB, the peak of
50,000 x 20,000 with places for 79 % went from 2.0 to 1.8–1.9 GB, and the city's from 1.13 to 1.05 GB)."""


def tune_allocator() -> bool:
    """Let glibc's malloc keep freed memory for the next allocation (True if it could be set).

    The block scan allocates and frees megabytes of temporaries thousands of
    times, on two threads. By default glibc hands such chunks back to the
    system (``munmap``, trimming the thread arenas) and the next block faults
    the same pages in again: at 50,000 x 20,000 that was a fifth of the CPU
    time, all of it in the kernel (system time 7.9 s of 37 s; 3.1 s with
    these settings, peak memory 1.2 -> 1.5 GB). For ``python -m matching`` only
    (``__main__``): a process that lives on after a run should not hold on to its peak.
    Elsewhere than glibc this does nothing.
    """
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    settings = ((_M_MMAP_THRESHOLD, MMAP_FROM_BYTES), (_M_TRIM_THRESHOLD, KEEP_FREED_BYTES), (_M_TOP_PAD, 1 << 26))
    return all(mallopt(parameter, value) == 1 for parameter, value in settings)


def _load(path: str) -> object:
    """The document at ``path``: strict JSON in UTF-8 (no NaN or Infinity, no trailing commas), with or
    without the byte order mark that editors on Windows write (RFC 8259 lets a parser ignore it).

    orjson rather than the standard library: at 50,000 mentees it reads the
    problem in about two thirds of the time and writes the proposals ten times
    faster (0.04 s instead of 0.4 s).
    """
    with open(path, "rb") as handle:
        data = handle.read()
    return orjson.loads(data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    propose_cmd = commands.add_parser("propose", help="propose pairs and group assignments")
    propose_cmd.add_argument("problem", help="problem JSON file (see CONTRACT.md)")
    propose_cmd.add_argument("-o", "--output", help="write proposals here instead of standard output")
    propose_cmd.add_argument("--solver", choices=SOLVERS, default="auto")
    rank_cmd = commands.add_parser("rank-appointment", help="rank volunteers for one appointment")
    rank_cmd.add_argument("input", help='JSON file {"request": ..., "volunteers": [...]} (see CONTRACT.md)')
    rank_cmd.add_argument("-o", "--output", help="write the ranking here instead of standard output")
    rank_cmd.add_argument("--limit", type=int, default=20, help="candidates listed at most (default 20)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A run builds millions of small objects (JSON, output) and no garbage cycles
    # worth collecting: the cyclic GC would only cost time (about 1 s at 50,000 mentees).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _rank_appointment(args) if args.command == "rank-appointment" else _propose(args)
    finally:
        if collecting:
            gc.enable()


def _read(path: str) -> tuple[object, int | None]:
    """The JSON document at ``path``, or (None, exit status) after saying why it cannot be read."""
    try:
        return _load(path), None
    except OSError as error:
        print(f"{path}: cannot read: {error.strerror or error}", file=sys.stderr)
    except ValueError as error:  # orjson.JSONDecodeError, for text that is not UTF-8 too
        print(f"{path}: invalid JSON: {error}", file=sys.stderr)
    return None, EXIT_INVALID


def _write(result: object, output: str | None) -> int:
    data = orjson.dumps(result, option=orjson.OPT_APPEND_NEWLINE)  # UTF-8, compact
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return 0
    try:
        with open(output, "wb") as handle:
            handle.write(data)
    except OSError as error:
        print(f"{output}: cannot write: {error.strerror or error}", file=sys.stderr)
        return EXIT_OUTPUT
    return 0


def _propose(args: argparse.Namespace) -> int:
    problem, failed = _read(args.problem)
    if failed is not None:
        return failed
    try:
        proposals = propose(problem, solver=args.solver)
    except ProblemError as error:
        print(error, file=sys.stderr)  # the contract's form: "volunteers[3].languages.xx: ..."
        return EXIT_INVALID
    return _write(proposals, args.output)


def _rank_appointment(args: argparse.Namespace) -> int:
    document, failed = _read(args.input)
    if failed is not None:
        return failed
    try:
        if not isinstance(document, dict) or not isinstance(document.get("volunteers"), list):
            raise ValueError('an object {"request": ..., "volunteers": [...]} is needed')
        request = request_from_json(document.get("request"))
        volunteers = [volunteer_from_json(v, f"volunteers[{k}]") for k, v in enumerate(document["volunteers"])]
        ranking = rank(request, volunteers, args.limit)
    except ValueError as error:
        print(f"{args.input}: {error}", file=sys.stderr)
        return EXIT_INVALID
    return _write(ranking_to_json(ranking), args.output)
