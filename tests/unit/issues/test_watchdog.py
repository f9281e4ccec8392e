"""The watchdog: overdue once per deadline, an alert when nothing moved it, stable event ids."""

from streams.issues.deadlines import DeadlineBook, due
from streams.issues.watchdog import alarms
from streams.publisher import Publisher
from tests.unit.issues.helpers import Run, at

BOOK = DeadlineBook()


def test_nothing_before_the_deadline_and_nothing_for_closed_issues():
    run = Run()
    run.open()
    assert alarms(run.state, at(26) - 1, BOOK) == []
    run.state["status"] = "closed"
    assert alarms(run.state, at(1, month=12), BOOK) == []


def test_a_passed_deadline_is_reported_overdue_once_it_is_folded_in():
    run = Run()
    [assigned] = run.open(tier="TOWNSHIP")
    [alarm] = alarms(run.state, at(26, 10), BOOK)
    assert alarm.event.type == "IssueOverdue"
    assert alarm.event.payload["stage"] == "REPLY" and alarm.event.payload["deadline"] == at(26)
    # Caused by the assignment that set the deadline.
    assert alarm.cause.event_id == run.state["due"]["REPLY"]["cause"]["event_id"]
    run.feed("IssueOverdue", alarm.event.payload, when=at(26, 10))
    assert run.status == "escalated"
    assert alarms(run.state, at(26, 11), BOOK) == []  # the new supervised deadline is days away


def test_an_issue_that_cannot_escalate_raises_a_stuck_alert_after_the_grace():
    run = Run()
    run.open(difficulty="HARD")
    [late] = alarms(run.state, at(26, 10), BOOK)
    run.feed("IssueOverdue", late.event.payload, when=at(26, 10))
    assert run.status == "overdue"
    assert alarms(run.state, due(at(26), 1) - 1, BOOK) == []
    [stuck] = alarms(run.state, due(at(26), 1) + 3_600_000, BOOK)
    assert stuck.event.type == "IssueStuck" and stuck.event.payload["overdue_working_days"] > 1
    assert "未办结也未能升级" in stuck.event.payload["reason"]
    run.feed("IssueStuck", stuck.event.payload, when=at(27, 11))
    assert alarms(run.state, at(30), BOOK) == []


def test_an_issue_the_loop_never_saw_overdue_is_both_overdue_and_stuck():
    run = Run()
    run.feed(
        "IssueRaised",
        {
            "channel": "SURVEY",
            "uscc": "x",
            "enterprise_name": "y",
            "category": "tax",
            "description": "z",
            "tier": "CITY",
            "city": "ningbo",
            "difficulty": None,
            "tags": [],
        },
        when=at(23),
    )
    kinds = [a.event.type for a in alarms(run.state, at(26), BOOK)]
    assert kinds == ["IssueOverdue", "IssueStuck"]


def test_alarm_ids_are_the_same_on_every_tick(catalog, codec):
    run = Run()
    run.open()
    publisher = Publisher(catalog, codec, producer="issue_watchdog", version="1")

    def ids(now):
        return [
            publisher.build(a.event, cause=a.cause, case_id="QY-UNIT", index=a.index).event.event_id
            for a in alarms(run.state, now, BOOK)
        ]

    assert ids(at(26, 10)) == ids(at(26, 11)) != []
