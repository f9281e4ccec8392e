"""The published figures, computed from the issues' events alone."""

from streams.issues.report import issue_summary
from tests.unit.issues.helpers import at, event, raised_payload

MONDAY = at(23)


def history(
    issue_id,
    *,
    channel="HOTLINE_12345",
    category="tax",
    rating=None,
    closed=None,
    followed=False,
    escalated=False,
    reopened=False,
    department="tax",
):
    def e(kind, payload=None, when=MONDAY):
        return event(kind, payload or {}, when=when, case_id=issue_id)

    events = [
        e("IssueRaised", raised_payload(channel=channel, category=category)),
        e("IssueAssigned", {"lead_department": department}, at(23, 10)),
    ]
    if reopened:
        events += [e("IssueRated", {"rating": "DISSATISFIED"}, at(24)), e("IssueReopened", {}, at(24))]
    if escalated:
        events.append(e("IssueEscalated", {}, at(26)))
    if rating:
        events.append(e("IssueRated", {"rating": rating}, at(27)))
    if closed is not None:
        days, on_time = closed
        events.append(
            e(
                "IssueClosed",
                {"on_time": on_time, "working_days": days, "lead_department": department},
                at(27),
            )
        )
    if followed:
        events.append(e("IssueFollowedUp", {}, at(30)))
    return events


def test_figures_overall_and_by_department_channel_and_category():
    issues = {
        "A": history("A", rating="VERY_SATISFIED", closed=(2.0, True), followed=True),
        "B": history(
            "B",
            rating="SATISFIED",
            closed=(6.0, False),
            escalated=True,
            reopened=True,
            channel="ONLINE_ZONE",
            category="financing",
            department="financial_affairs",
        ),
        "C": history("C", channel="ONLINE_ZONE"),
        "D": [
            event("IssueRaised", raised_payload(channel="RATING"), when=at(24), case_id="D"),
            event(
                "IssueMerged",
                {
                    "duplicate_issue_id": "D",
                    "surviving_issue_id": "C",
                    "channel": "RATING",
                    "category": "tax",
                },
                when=at(24, 10),
                case_id="D",
            ),
        ],
    }
    summary = issue_summary(issues)
    assert {k: summary[k] for k in ("raised", "merged", "closed", "open", "escalated", "reopened")} == {
        "raised": 3,
        "merged": 1,
        "closed": 2,
        "open": 1,
        "escalated": 1,
        "reopened": 1,
    }
    assert summary["closure_rate"] == round(2 / 3, 4)
    assert summary["satisfaction_rate"] == round(2 / 3, 4)  # 非常满意, 不满意, 满意
    assert summary["on_time_rate"] == 0.5 and summary["follow_up_rate"] == 0.5
    assert summary["average_working_days_to_close"] == 4.0
    assert summary["bad_rating_fix_rate"] == 1.0
    assert set(summary["by_department"]) == {"tax", "financial_affairs"}
    assert summary["by_department"]["tax"]["closed"] == 1 and summary["by_department"]["tax"]["open"] == 1
    assert summary["by_channel"]["ONLINE_ZONE"]["raised"] == 2
    assert summary["by_category"]["financing"]["on_time_rate"] == 0.0


def test_a_refused_rating_does_not_count():
    events = history("A", closed=(1.0, True))
    rating = event("IssueRated", {"rating": "VERY_DISSATISFIED"}, when=at(28), case_id="A")
    refused = event("IssueActionRefused", {}, when=at(28, 10), case_id="A")
    refused.envelope["causation_id"] = rating.event_id
    assert issue_summary({"A": [*events, rating, refused]})["satisfaction_rate"] is None


def test_nothing_to_measure_gives_none_not_zero():
    summary = issue_summary({})
    assert summary["raised"] == summary["open"] == 0
    assert summary["closure_rate"] is None and summary["average_working_days_to_close"] is None
