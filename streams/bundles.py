"""一类事: an industry bundle declared from existing flows and requested once.

One request (`BundleRequested`, its own case id) fans out at the desk into one application per
member flow, each a case of its own caused by the request, so every member event carries the
bundle's case id as its correlation id. Nobody drives the members: each runs as its flow does, and
the bundle tracker (streams/bundle_tracker.py) folds their outcomes into `BundleCompleted`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from random import Random
from typing import Any

from streams.flows import Flow

BUNDLE_REQUESTED = "BundleRequested"
BUNDLE_MEMBER_FINISHED = "BundleMemberFinished"
BUNDLE_COMPLETED = "BundleCompleted"
# Bundle case ids start with this, so a member's outcome can be told from any other case's.
BUNDLE_PREFIX = "BUNDLE"


@dataclass(frozen=True, kw_only=True)
class Bundle:
    name: str
    display_name: str
    # Member flows, by name: each gets one application from the bundle's single form.
    members: tuple[str, ...]
    # The bundle's one form → each member flow's application payload.
    applications: Callable[[Mapping[str, Any]], dict[str, dict[str, Any]]]
    description: str = ""
    audience: str = "enterprise"
    # A realistic form, for simulations and the demo.
    sample: Callable[[Random], dict[str, Any]] | None = None


def problems(bundle: Bundle, flows: Sequence[Flow]) -> list[str]:
    """What is wrong with a declaration: members that are no declared flow, or too few of them."""
    known = {f.name for f in flows}
    found = [
        f"bundle {bundle.name}: member {m!r} is no declared flow" for m in bundle.members if m not in known
    ]
    if len(set(bundle.members)) < 2:
        found.append(f"bundle {bundle.name}: a bundle needs at least two distinct member flows")
    return found


def member_applications(bundle: Bundle, form: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """One application per member flow, in the declared order; a missing member is an error."""
    made = bundle.applications(form)
    missing = [m for m in bundle.members if m not in made]
    if missing:
        raise ValueError(f"bundle {bundle.name} made no application for {', '.join(missing)}")
    return {m: made[m] for m in bundle.members}


def is_bundle_case(case_id: str) -> bool:
    return case_id.startswith(f"{BUNDLE_PREFIX}-")
