"""Follows each 一类事 bundle until every member case has ended, then says so once.

    CaseCompleted | CaseRejected of a member (keyed by the member case)       agent "bundle_members"
        ──▶ BundleMemberFinished, re-keyed to the bundle (its correlation id)
    BundleRequested + BundleMemberFinished (keyed by the bundle)              agent "bundles"
        ──▶ table "bundles" ──▶ BundleCompleted

Member outcomes are keyed by their own cases, so they land on other partitions than the bundle's
request; re-publishing them under the bundle's key brings all of one bundle to one partition, where
a table can fold them. An event, not an orchestrator: nothing here tells a member what to do.

Every case's outcome passes the first agent, bundled or not, and it keeps no state: it runs without
processed ids (a changelog write per case saved). Handling an outcome again publishes the same
BundleMemberFinished, with the same derived event id, which the second agent drops as a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from streams.bundles import BUNDLE_COMPLETED, BUNDLE_MEMBER_FINISHED, BUNDLE_REQUESTED, is_bundle_case
from streams.events import Event, NewEvent
from streams.publisher import OutgoingRecord, Publisher
from streams.step import Step
from streams.tracker import CASE_COMPLETED, CASE_REJECTED, millis

if TYPE_CHECKING:
    from streams.runtime import Worker

AGENT = "bundles"
MEMBERS_AGENT = "bundle_members"
VERSION = "1.0.0"
OUTCOMES = {CASE_COMPLETED: "COMPLETED", CASE_REJECTED: "REJECTED"}
INPUTS = (BUNDLE_REQUESTED, BUNDLE_MEMBER_FINISHED)


def new_bundle_state() -> dict[str, Any]:
    return {"bundle": None, "members": {}, "finished": {}, "requested_at": 0, "done": False}


class BundleTracker:
    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher

    def member_finished(self, event: Event) -> list[OutgoingRecord]:
        """A member case's outcome, re-keyed to its bundle; nothing for a case outside any bundle."""
        bundle_case = event.envelope["correlation_id"]
        if bundle_case == event.case_id or not is_bundle_case(bundle_case):
            return []
        finished = NewEvent(
            BUNDLE_MEMBER_FINISHED,
            {"flow": event["flow"], "member_case_id": event.case_id, "outcome": OUTCOMES[event.type]},
        )
        return [self.publisher.build(finished, cause=event, case_id=bundle_case)]

    def apply(
        self, state: dict[str, Any] | None, event: Event
    ) -> tuple[dict[str, Any], list[OutgoingRecord]]:
        """Fold a request or a member's outcome into the bundle; complete it when every member ended."""
        state = dict(state) if state else new_bundle_state()
        if state["done"]:
            return state, []
        if event.type == BUNDLE_REQUESTED:
            state["bundle"] = event["bundle"]
            state["members"] = {m["case_id"]: m["flow"] for m in event["members"]}
            state["requested_at"] = millis(event.envelope["occurred_at"])
        elif event.type == BUNDLE_MEMBER_FINISHED:
            # An outcome may arrive before the request (other topics): kept until it comes.
            state["finished"] = {**state["finished"], event["member_case_id"]: event["outcome"]}
        if not state["members"] or any(case not in state["finished"] for case in state["members"]):
            return state, []
        state["done"] = True
        members = [
            {"flow": flow, "case_id": case, "outcome": state["finished"][case]}
            for case, flow in state["members"].items()
        ]
        completion = NewEvent(
            BUNDLE_COMPLETED,
            {
                "bundle": state["bundle"],
                "members": members,
                "all_completed": all(m["outcome"] == "COMPLETED" for m in members),
                "requested_at": state["requested_at"],
                "completed_at": millis(event.envelope["occurred_at"]),
            },
        )
        return state, [self.publisher.build(completion, cause=event)]


def add_bundle_tracker(worker: Worker) -> None:
    """The bundle tracker as two agents of ``worker``: member outcomes re-keyed to their bundle,
    and the bundles folded in a table keyed by bundle case id."""
    from streams.runtime import TABLE_SCHEMA  # runtime imports this module: import it late

    connection = worker.connection
    publisher = Publisher(
        connection.catalog, connection.codec, producer=AGENT, version=VERSION, clock=worker.clock
    )
    tracker = BundleTracker(publisher)
    bundles = worker.app.Table("bundles", schema=TABLE_SCHEMA)

    async def member_finished(event: Event) -> Step:
        return Step(tracker.member_finished(event))

    async def handle(event: Event) -> Step:
        state, records = tracker.apply(bundles.get(event.case_id), event)
        step = Step(records)
        # Completed: kept for the retention, so late copies find it done.
        step.write(bundles, event.case_id, state, finished=state["done"])
        return step

    def topics(types: Iterable[str]) -> list[str]:
        return sorted(connection.catalog[t].topic for t in types)

    worker.add_agent(MEMBERS_AGENT, topics(OUTCOMES), member_finished, idempotent=True)
    worker.add_agent(AGENT, topics(INPUTS), handle)
    worker.add_purge(bundles)
