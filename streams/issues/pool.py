"""The shared issue pool (问题池): one enterprise's open issues, so a problem reported twice merges.

Keyed by the enterprise's USCC: the worker re-partitions IssueRaised and IssueClosed by subject so
every report of one enterprise reaches the same pool state. A new report is the same problem as an
open issue when the enterprise and category match and the texts are similar; it is then merged
(IssueMerged, into both histories) instead of accepted as a second issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import deepcopy
from typing import Any

from streams.events import Event, NewEvent
from streams.issues.model import ACCEPTED, CLOSED, MERGED, RAISED
from streams.tracker import millis

# Character-bigram Dice similarity from which two reports count as the same problem.
SIMILAR = 0.45
# Words people add when they report again; they say nothing about the problem itself.
_REPEAT_WORDS = re.compile(r"再次反映|再次|又一次|仍然|依旧|还是|重复反映|第二次|第三次")
_NOISE = re.compile(r"[\W_]+", re.UNICODE)

RAISE_FIELDS = (
    "channel",
    "uscc",
    "enterprise_name",
    "category",
    "description",
    "tier",
    "city",
    "difficulty",
    "tags",
)


def _bigrams(text: str) -> set[str]:
    text = _NOISE.sub("", _REPEAT_WORDS.sub("", text)).lower()
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: works for Chinese, which has no spaces between words."""
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def find_duplicate(
    open_issues: Iterable[dict[str, Any]], category: str, text: str
) -> tuple[str, float] | None:
    """The open issue this report repeats, with the similarity, or None."""
    best: tuple[str, float] | None = None
    for issue in open_issues:
        if issue["category"] != category:
            continue
        score = similarity(issue["description"], text)
        if score >= SIMILAR and (best is None or score > best[1]):
            best = (issue["issue_id"], score)
    return best


def new_pool_state() -> dict[str, Any]:
    return {"open": [], "merged": []}


def apply(state: dict[str, Any] | None, event: Event) -> tuple[dict[str, Any], list[tuple[NewEvent, str]]]:
    """Fold one event into an enterprise's pool; returns what to publish, each with its issue id."""
    state = deepcopy(state) if state else new_pool_state()
    if event.type == CLOSED:
        state["open"] = [i for i in state["open"] if i["issue_id"] != event.case_id]
        return state, []
    if event.type != RAISED:
        return state, []
    issue_id = event.case_id
    known = {i["issue_id"] for i in state["open"]} | set(state["merged"])
    if issue_id in known:  # a redelivered report
        return state, []
    duplicate = find_duplicate(state["open"], event["category"], event["description"])
    if duplicate:
        survivor, score = duplicate
        state["merged"] = [*state["merged"], issue_id][-200:]
        payload = {
            "duplicate_issue_id": issue_id,
            "surviving_issue_id": survivor,
            "channel": event["channel"],
            "category": event["category"],
            "description": event["description"],
            "similarity": round(score, 3),
        }
        # Both histories show the merge: the duplicate ends here, the survivor gains a report.
        return state, [(NewEvent(MERGED, payload), issue_id), (NewEvent(MERGED, payload), survivor)]
    state["open"] = [
        *state["open"],
        {
            "issue_id": issue_id,
            "category": event["category"],
            "description": event["description"],
        },
    ]
    accepted = {name: event.payload.get(name) for name in RAISE_FIELDS}
    accepted["tags"] = list(accepted["tags"] or [])
    accepted["raised_at"] = millis(event.envelope["occurred_at"])
    return state, [(NewEvent(ACCEPTED, accepted), issue_id)]
