"""OneThing's public API: every name a department's or a flow's author needs, from one place.

    from streams import Condition, Department, Event, Flow, NewEvent, Step, emit, reject

The modules they live in stay importable. ``streams.samples`` makes sample applicants for a flow's
``sample(rng)``; ``streams.testing`` runs a department or a whole flow in memory in a unit test.
"""

from streams.calendar import add_working_days, working_days_between
from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.days import full_years, occurred_on
from streams.department import REJECTED, Department, DepartmentExtension, Handler, Matter, reject
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.flows import Figures, Flow, Published, Step
from streams.identifiers import is_valid_uscc, make_citizen_id, make_uscc, tokenize_citizen_id

__all__ = [
    "REJECTED",
    "Checklist",
    "Condition",
    "Department",
    "DepartmentExtension",
    "Event",
    "Figures",
    "Flow",
    "Handler",
    "Material",
    "Matter",
    "NewEvent",
    "Published",
    "Step",
    "add_working_days",
    "carry",
    "emit",
    "full_years",
    "is_valid_uscc",
    "make_citizen_id",
    "make_uscc",
    "occurred_on",
    "reject",
    "tokenize_citizen_id",
    "working_days_between",
]
