"""What handling one event amounts to: records to publish, then state to write.

The state is written only after the broker acknowledged every record (the runtime's order): a
crash in between redelivers the event, which is handled again from the old state and publishes the
same event ids, which consumers drop as duplicates. Writing state first would lose the outputs.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from streams.publisher import OutgoingRecord
from streams.retention import stamped

# Written as a value, removes the key instead (a released hold).
DELETE: Any = object()


@dataclass(frozen=True, slots=True)
class _Finished:
    """A value written as finished work: stamped at settle, so it leaves after the retention."""

    value: dict[str, Any]


@dataclass(slots=True)
class Step:
    records: list[OutgoingRecord] = field(default_factory=list)
    writes: list[tuple[MutableMapping[str, Any], str, Any]] = field(default_factory=list)

    def write(self, table: MutableMapping[str, Any], key: str, value: Any, *, finished: bool = False) -> None:
        """Set ``table[key] = value`` once the records are acknowledged (see settle). ``finished``
        work (a closed case or issue, a fired join, a completed bundle) leaves the table after the
        retention (streams/retention.py)."""
        self.writes.append((table, key, _Finished(value) if finished else value))

    def delete(self, table: MutableMapping[str, Any], key: str) -> None:
        """Remove ``table[key]`` once the records are acknowledged."""
        self.writes.append((table, key, DELETE))

    def settle(self, partition: int | None = None) -> None:
        """Apply the writes; retired values are stamped for ``partition`` (the record's, whose
        changelog partition the table writes to). Without one (tools, tests) nothing expires."""
        for table, key, value in self.writes:
            if value is DELETE:
                table.pop(key, None)
            elif isinstance(value, _Finished):
                table[key] = value.value if partition is None else stamped(value.value, partition)
            else:
                table[key] = value
