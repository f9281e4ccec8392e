"""The record an agent is processing now.

Set by the agent for each record it handles and settles: its table writes go to the changelog
partition of the record's own partition (tables are partitioned as their agent's topics are), and
the few handlers that need the record's position (the case index) read it here. faust's own
"current event" is set only while a stream hands out one record at a time, not for a batch.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streams.delivery import Source

CURRENT_SOURCE: contextvars.ContextVar[Source | None] = contextvars.ContextVar("source", default=None)
