"""Brückenbau matching engine: proposes mentor–mentee pairs and working-group members.

A pure library (numpy, scipy, scikit-learn, OR-Tools, jsonschema; no web framework)
implementing ``matching/CONTRACT.md`` version 1::

    from matching import propose, validate, ProblemError
    proposals = propose(problem_dict, solver="auto")   # "exact" | "fast" | "auto"

Design, in pipeline order (one module each):

``validation``   JSON Schema + reference checks; ProblemError names the field.
``encoding``     people sorted by id -> numpy arrays, bitsets, TF-IDF (sklearn).
``constraints``  the hard constraints, vectorised, in the contract's order.
``scoring``      the pair score: weighted feature blocks (WEIGHTS) and reasons.
``candidates``   check every pair in broadcast blocks with an upper bound of
                 its value; keep the best per mentee and per volunteer.
``assignment``   coverage-first, value-second matching on given pairs: dense
                 ``linear_sum_assignment`` (exact) or a maximum flow of
                 minimum cost (OR-Tools, fast).
``pricing``      duals, pricing of every pair left out, reoptimisation: the
                 proof that ``fast`` is optimal (or how close it is).
``groups``       working groups as an integer programme (``scipy.optimize.milp``).
``engine``       ``propose()``: ties everything together into the output dict.
``appointments`` ``rank()``: volunteers for one appointment, fairest first, explained
                 (a ``VolunteerPool`` prepared once ranks many requests).
``cli``          ``python -m matching propose PROBLEM.json [-o OUT] [--solver ...]``.

For the engine's users: ``records`` (the contract's records as typed dicts),
``levels`` (language levels and thresholds), ``reach`` (the distance rule),
and the codes the engine emits (PAIR_REASONS, GROUP_REASONS, UNMATCHED_REASONS,
APPOINTMENT_REASONS, APPOINTMENT_EXCLUSIONS).
"""

from .appointments import (
    APPOINTMENT_REASONS,
    NO_MATCHING_OFFER,
    AppointmentRequest,
    AppointmentVolunteer,
    Candidate,
    Ranking,
    VolunteerPool,
)
from .appointments import EXCLUSIONS as APPOINTMENT_EXCLUSIONS
from .appointments import rank as rank_appointment
from .constraints import UNMATCHED_REASONS
from .engine import SOLVERS, propose
from .groups import GROUP_REASONS
from .records import (
    Alternative,
    Group,
    GroupAssignment,
    GroupReason,
    Locality,
    Mentee,
    Metrics,
    Pair,
    PairRef,
    Problem,
    Proposals,
    Reason,
    Settings,
    Unmatched,
    Volunteer,
)
from .scoring import PAIR_REASONS
from .validation import ProblemError, validate

__all__ = [
    "APPOINTMENT_EXCLUSIONS",
    "APPOINTMENT_REASONS",
    "GROUP_REASONS",
    "NO_MATCHING_OFFER",
    "PAIR_REASONS",
    "SOLVERS",
    "UNMATCHED_REASONS",
    "Alternative",
    "AppointmentRequest",
    "AppointmentVolunteer",
    "Candidate",
    "Group",
    "GroupAssignment",
    "GroupReason",
    "Locality",
    "Mentee",
    "Metrics",
    "Pair",
    "PairRef",
    "ProblemError",
    "Problem",
    "Proposals",
    "Ranking",
    "Reason",
    "Settings",
    "Unmatched",
    "Volunteer",
    "VolunteerPool",
    "propose",
    "rank_appointment",
    "validate",
]
