"""需求发现: sets of flows the same applicants apply for within a window, proposed with counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.demand import Candidate, candidates, discover, episodes
from streams.events import Event

APPLICATIONS = {
    "BabyApplied": "newborn",
    "CardApplied": "social_security_card",
    "ClaimApplied": "medical_claim",
}
START = datetime(2026, 11, 2, 9, tzinfo=UTC)


def applied(kind: str, subject: str, day: float, case_id: str | None = None, correlation: str | None = None):
    case_id = case_id or f"{kind}-{subject}-{day}"
    envelope = {
        "case_id": case_id,
        "correlation_id": correlation or case_id,
        "subject": subject,
        "occurred_at": START + timedelta(days=day),
    }
    return Event(kind, {"channel": "MOBILE", "materials": []}, envelope)


def family(subject: str, *, gap: float = 2) -> list[Event]:
    """A birth, then the card and the claim some days later."""
    return [
        applied("BabyApplied", subject, 0),
        applied("CardApplied", subject, gap),
        applied("ClaimApplied", subject, gap + 1),
    ]


def test_flows_applied_for_together_by_enough_applicants_are_proposed_with_their_count():
    events = family("ct_a") + family("ct_b") + family("ct_c") + [applied("CardApplied", "ct_d", 0)]
    found = discover(events, APPLICATIONS, window_days=30, min_count=3)
    # The pairs are always seen with the third flow: only the full set is proposed.
    assert found == [Candidate(("medical_claim", "newborn", "social_security_card"), count=3, subjects=3)]


def test_applications_further_apart_than_the_window_are_not_together():
    events = family("ct_a", gap=40) + family("ct_b", gap=40) + family("ct_c", gap=2)
    found = discover(events, APPLICATIONS, window_days=30, min_count=3)
    assert found == [Candidate(("medical_claim", "social_security_card"), count=3, subjects=3)]


def test_an_episode_is_measured_from_its_first_application():
    events = [
        applied("BabyApplied", "ct_a", 0),
        applied("CardApplied", "ct_a", 20),
        applied("ClaimApplied", "ct_a", 35),
    ]
    assert episodes_of(events, window=30) == [("ct_a", frozenset({"newborn", "social_security_card"}))]


def episodes_of(events, window):
    from streams.demand import applications

    return episodes(applications(events, APPLICATIONS), window)


def test_a_set_less_frequent_than_asked_is_left_out_and_a_subset_seen_more_often_stays():
    found = candidates(
        [("a", frozenset({"x", "y", "z"})), ("b", frozenset({"x", "y"})), ("c", frozenset({"x", "y"}))],
        min_count=2,
    )
    assert found == [Candidate(("x", "y"), count=3, subjects=3)]


def test_sets_a_declared_bundle_covers_are_not_proposed_again():
    found_sets = [(s, frozenset({"x", "y"})) for s in "abc"]
    assert candidates(found_sets, min_count=2, declared=[frozenset({"x", "y", "z"})]) == []


def test_applications_made_as_members_of_a_bundle_are_not_counted():
    events = []
    for subject in ("ct_a", "ct_b", "ct_c"):
        bundle = f"BUNDLE-{subject}"
        events += [
            applied("BabyApplied", subject, 0, case_id=f"N-{subject}", correlation=bundle),
            applied("CardApplied", subject, 0, case_id=f"S-{subject}", correlation=bundle),
        ]
    assert discover(events, APPLICATIONS, window_days=30, min_count=1) == []


def test_one_case_read_twice_counts_once():
    events = family("ct_a") + family("ct_a")  # the same events, redelivered
    found = discover(events, APPLICATIONS, window_days=30, min_count=2)
    assert found == []
