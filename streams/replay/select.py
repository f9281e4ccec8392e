"""Which cases a replay is about, and their chains: one case or issue, a subject, a flow, a window."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from streams.config import Settings
from streams.events import Event
from streams.flows import Flow
from streams.replay.chain import Chain, at_millis, build_chain
from streams.replay.reader import Located, LogReader
from streams.tracker import millis


@dataclass(frozen=True, kw_only=True)
class Selection:
    case_id: str | None = None
    subject: str | None = None
    flow: Flow | None = None
    since: datetime | None = None
    until: datetime | None = None

    @property
    def window(self) -> tuple[int | None, int | None]:
        return (
            None if self.since is None else millis(self.since),
            None if self.until is None else millis(self.until),
        )

    def describe(self) -> str:
        parts = [
            f"case {self.case_id}" if self.case_id else "",
            f"subject {self.subject}" if self.subject else "",
            f"flow {self.flow.name}" if self.flow else "",
            f"since {self.since.isoformat()}" if self.since else "",
            f"until {self.until.isoformat()}" if self.until else "",
        ]
        return ", ".join(p for p in parts if p)


def case_ids(reader: LogReader, selection: Selection) -> list[str]:
    """The cases the selection names, found without reading every topic from zero where possible."""
    since, until = selection.window
    if selection.case_id:
        return [selection.case_id]
    if selection.subject:
        listed = reader.subject_cases(selection.subject)
        if listed is not None:
            return listed
        return list(_scan_subject(reader, selection.subject))
    if selection.flow:
        topic = reader.connection.catalog[selection.flow.application].topic
        return reader.keys_in(reader.all_partitions([topic]), since, until)
    if since is None and until is None:
        raise ValueError("say what to replay: --case, --issue, --subject, --flow, --since or --until")
    return reader.keys_in(reader.all_partitions(), since, until)


def _scan_subject(reader: LogReader, subject: str) -> dict[str, None]:
    """Without an index: every record decoded, to find the subject's cases."""
    found: dict[str, None] = {}
    starts = dict.fromkeys(reader.all_partitions(), 0)
    for located in reader.decoded(reader.scan(starts)):
        if located.event.subject == subject:
            found.setdefault(located.event.case_id, None)
    return found


def in_window(located: Located, since: int | None, until: int | None) -> bool:
    at = at_millis(located.event)
    return (since is None or at >= since) and (until is None or at <= until)


def replay(
    reader: LogReader, selection: Selection, *, progress: Callable[[int, int], None] | None = None
) -> list[Chain]:
    """One chain per selected case, in the order the cases were found."""
    ids = case_ids(reader, selection)
    since, until = selection.window
    chains = []
    for done, case_id in enumerate(ids, 1):
        records = [r for r in reader.case(case_id) if in_window(r, since, until)]
        if records:
            chains.append(build_chain(case_id, records))
        if progress and len(ids) > 1:
            progress(done, len(ids))
    return chains


def by_case(records: Sequence[Located]) -> dict[str, list[Located]]:
    grouped: dict[str, list[Located]] = defaultdict(list)
    for record in records:
        grouped[record.event.case_id].append(record)
    return grouped


@contextmanager
def opened(settings: Settings, *, progress: Callable[[int, int], None] | None = None) -> Iterator[LogReader]:
    """A reader of the log; a reader provisions no topics (an absent topic holds nothing)."""
    from streams.startup import connect

    reader = LogReader(connect(settings, provision_topics=False), progress=progress)
    try:
        yield reader
    finally:
        reader.close()


def case_history(settings: Settings, case_id: str) -> list[Event]:
    """One case's (or issue's) events, each once, causes before effects: `cases show`, `issues show`."""
    with opened(settings) as reader:
        return build_chain(case_id, reader.case(case_id)).events
