"""OneThing's public API: the names a department's or a flow's author needs, from one place.

from streams import Condition, Department, Event, Flow, NewEvent, Step, emit, reject
"""

from streams.conditions import Condition
from streams.department import Department, reject
from streams.events import Event, NewEvent, emit
from streams.flows import Flow, Step
from streams.identifiers import tokenize_citizen_id

__all__ = [
    "Condition",
    "Department",
    "Event",
    "Flow",
    "NewEvent",
    "Step",
    "emit",
    "reject",
    "tokenize_citizen_id",
]
