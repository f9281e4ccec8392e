"""无证件: a department's event carries forward the facts later matters need, so nobody downstream
asks the applicant again. ``carry`` copies those facts from the trigger by name.

    return [emit("TaxCleared", clearance_no=no, **carry(event, "uscc", "enterprise_name"))]
"""

from __future__ import annotations

from typing import Any

from streams.events import Event


def carry(event: Event, *names: str) -> dict[str, Any]:
    """The named payload fields of ``event``, to pass on in the event a handler emits."""
    return {name: event[name] for name in names}
