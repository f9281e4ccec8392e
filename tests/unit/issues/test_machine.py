"""The issue state machine: every state and transition, and every refusal."""

from __future__ import annotations

import pytest

from streams.issues.deadlines import DeadlineBook, DeadlineRules, due
from streams.issues.machine import IssueMachine, closure_problems, current_deadline
from streams.publisher import Publisher
from tests.unit.issues.helpers import ISSUE, Run, at, event, raised_payload

ANSWER = {
    "department": "financial_affairs",
    "resolution": "RESOLVED",
    "answer": "已放款",
    "evidence": ["放款凭证"],
}


def answered(**changes):
    return {**ANSWER, **changes}


def refusal(outputs):
    [refused] = outputs
    assert refused.type == "IssueActionRefused"
    return refused.payload


def test_the_happy_path_passes_every_state_and_fits_the_contracts(catalog, codec):
    run = Run()
    run.feed("IssueRaised", raised_payload(), when=at(23))
    assert run.status == "raised"
    assert current_deadline(run.state).stage == "ACCEPT"

    [assigned] = run.feed("IssueAccepted", {**raised_payload(), "raised_at": at(23)}, when=at(23, 10))
    assert run.status == "assigned" and run.state["accepted_at"] == at(23, 10)
    assert assigned.type == "IssueAssigned"
    assert assigned.payload["mode"] == "SINGLE" and assigned.payload["lead_department"] == "financial_affairs"
    # Monday 09:00 + 3 working days is Thursday 09:00; + 15 is three weeks later.
    assert assigned.payload["reply_by"] == at(26) and assigned.payload["resolve_by"] == at(14, month=12)
    assert assigned.payload["object_by"] == at(24, 10)

    assert (
        run.feed(
            "IssueHandlingStarted",
            {"department": "financial_affairs", "handler": "科", "note": ""},
            when=at(23, 11),
        )
        == []
    )
    assert run.status == "handling"
    assert run.feed("IssueAnswered", answered(), when=at(24)) == []
    assert run.status == "answered" and current_deadline(run.state).stage == "RESOLVE"
    [closed] = run.feed("IssueRated", {"rating": "SATISFIED", "comment": ""}, when=at(25))
    assert run.status == "closed" and current_deadline(run.state) is None
    assert closed.type == "IssueClosed"
    assert closed.payload["on_time"] is True and closed.payload["working_days"] == 2.0
    assert closed.payload["evidence"] == ["放款凭证"] and closed.payload["rating"] == "SATISFIED"
    assert (
        run.feed(
            "IssueFollowedUp",
            {"method": "PHONE", "by": "hotline_12345", "outcome": "好", "problem_solved": True},
            when=at(26),
        )
        == []
    )
    assert run.state["follow_ups"] == 1

    publisher = Publisher(catalog, codec, producer="issue_loop", version="1")
    cause = event("IssueRated", when=at(25))
    for new in run.decided:  # everything the machine decides encodes with its schema
        publisher.build(new, cause=cause)


def test_acceptance_before_the_raise_is_seen_still_counts_from_the_raise():
    run = Run()
    [assigned] = run.feed("IssueAccepted", {**raised_payload(), "raised_at": at(23)}, when=at(23, 10))
    assert assigned.payload["reply_by"] == at(26)
    assert run.feed("IssueRaised", raised_payload(), when=at(23)) == []
    assert run.status == "assigned" and run.state["raised_at"] == at(23)


def test_cross_department_issues_get_a_lead_assisting_departments_and_the_complex_deadline():
    run = Run()
    [assigned] = run.open(category="arrears")
    assert assigned.payload["mode"] == "LEAD_ASSIST"
    assert assigned.payload["lead_department"] == "economy_information"
    assert assigned.payload["assisting_departments"] == ["finance"]
    assert assigned.payload["resolve_by"] == due(at(23), 30)
    # An assisting department reports to the lead; only the lead's interim reply answers the enterprise.
    run.feed("IssueInterimReplied", {"department": "finance", "message": "协办意见"}, when=at(23, 12))
    assert "REPLY" in run.state["due"] and run.status == "assigned"
    run.feed(
        "IssueInterimReplied", {"department": "economy_information", "message": "正在协调"}, when=at(23, 13)
    )
    assert "REPLY" not in run.state["due"] and run.status == "handling"
    outsider = refusal(
        run.feed("IssueInterimReplied", {"department": "tax", "message": "x"}, when=at(23, 14))
    )
    assert outsider["action"] == "INTERIM_REPLY"


def test_hard_issues_go_to_the_city_joint_meeting():
    [assigned] = Run().open(difficulty="HARD", tier="TOWNSHIP")
    assert assigned.payload["mode"] == "JOINT_MEETING" and assigned.payload["tier"] == "CITY"


def test_an_objection_in_time_reroutes_to_the_suggested_department():
    run = Run()
    [first] = run.open(category="logistics", description="快递网点拒绝上门揽收大件货物")
    assert first.payload["lead_department"] == "transport"
    objection = {"department": "transport", "reason": "快递属邮政管理", "suggested_department": "postal"}
    [second] = run.feed("AssignmentObjected", objection, when=at(23, 15))
    assert second.type == "IssueAssigned" and second.payload["round"] == 2
    assert second.payload["lead_department"] == "postal" and run.status == "assigned"
    # The deadlines stay the enterprise's: they still count from the raise.
    assert second.payload["resolve_by"] == first.payload["resolve_by"]
    assert second.payload["object_by"] == at(24, 15)


def test_objections_late_by_another_department_or_after_signing_are_refused():
    run = Run()
    run.open(category="logistics")
    late = refusal(run.feed("AssignmentObjected", {"department": "transport", "reason": "x"}, when=at(25)))
    assert late["action"] == "OBJECTION" and "超过异议期限" in late["reasons"][0]
    stranger = refusal(run.feed("AssignmentObjected", {"department": "tax", "reason": "x"}, when=at(23, 12)))
    assert "不是本问题的承办单位" in stranger["reasons"][0]
    run.feed(
        "IssueHandlingStarted", {"department": "transport", "handler": "科", "note": ""}, when=at(23, 12)
    )
    signed = refusal(
        run.feed("AssignmentObjected", {"department": "transport", "reason": "x"}, when=at(23, 13))
    )
    assert "不能再提出异议" in signed["reasons"][0]
    assert run.state["lead"] == "transport"


def test_when_every_candidate_objects_a_joint_meeting_is_convened():
    run = Run()
    run.open(category="financing")
    [meeting] = run.feed(
        "AssignmentObjected", {"department": "financial_affairs", "reason": "非本部门"}, when=at(23, 12)
    )
    assert meeting.payload["mode"] == "JOINT_MEETING"
    assert meeting.payload["lead_department"] == "business_environment"
    assert meeting.payload["assisting_departments"] == ["financial_affairs"]


def test_an_extension_is_granted_once_and_moves_the_deadline():
    run = Run()
    [assigned] = run.open()
    ask = {"department": "financial_affairs", "working_days": 5.0, "reason": "需现场核查"}
    [granted] = run.feed("IssueExtensionRequested", ask, when=at(24))
    assert granted.type == "IssueExtensionGranted"
    assert granted.payload["previous_deadline"] == assigned.payload["resolve_by"]
    assert granted.payload["new_deadline"] == due(assigned.payload["resolve_by"], 5)
    assert run.state["due"]["RESOLVE"]["at"] == granted.payload["new_deadline"]
    again = refusal(run.feed("IssueExtensionRequested", ask, when=at(25)))
    assert again["reasons"] == ["本问题已延期一次，不能再次延期"]


@pytest.mark.parametrize(
    ("ask", "when", "reason"),
    [
        ({"department": "tax", "working_days": 5.0}, at(24), "只有承办（牵头）单位可以申请延期"),
        ({"department": "financial_affairs", "working_days": 20.0}, at(24), "延期须为 1 至 15 个工作日"),
        # The resolve deadline is 14 December 09:00: the 14th itself is too late to ask.
        ({"department": "financial_affairs", "working_days": 5.0}, at(14, 8, month=12), "前1个工作日提出"),
    ],
)
def test_extensions_out_of_rule_are_refused(ask, when, reason):
    run = Run()
    run.open()
    refused = refusal(run.feed("IssueExtensionRequested", {**ask, "reason": "x"}, when=when))
    assert any(reason in r for r in refused["reasons"]), refused


def test_only_the_lead_answers_and_never_after_closure():
    run = Run()
    run.open()
    assert (
        "答复须由承办（牵头）单位作出"
        in refusal(run.feed("IssueAnswered", answered(department="tax"), when=at(24)))["reasons"]
    )
    run.feed("IssueAnswered", answered(), when=at(24))
    run.feed("IssueRated", {"rating": "VERY_SATISFIED", "comment": ""}, when=at(24, 12))
    assert run.status == "closed"
    assert "问题已办结" in refusal(run.feed("IssueAnswered", answered(), when=at(25)))["reasons"][0]


def test_a_rating_needs_an_answer_to_rate():
    run = Run()
    run.open()
    refused = refusal(run.feed("IssueRated", {"rating": "SATISFIED", "comment": ""}, when=at(24)))
    assert refused["action"] == "RATING" and refused["reasons"] == ["没有待评价的答复"]


@pytest.mark.parametrize("rating", ["DISSATISFIED", "VERY_DISSATISFIED"])
def test_a_bad_rating_reopens_with_a_fix_deadline_and_the_fix_closes_it(rating):
    run = Run()
    run.open()
    run.feed("IssueAnswered", answered(resolution="PARTIALLY_RESOLVED"), when=at(24))
    [reopened] = run.feed("IssueRated", {"rating": rating, "comment": "只解决了一部分"}, when=at(25))
    assert reopened.type == "IssueReopened" and run.status == "reopened"
    assert reopened.payload["fix_by"] == due(at(25), 15) == at(16, month=12)
    assert current_deadline(run.state).stage == "FIX"
    assert "须整改后重新评价" in closure_problems(run.state)[-1]
    run.feed("IssueAnswered", answered(), when=at(30))
    [closed] = run.feed("IssueRated", {"rating": "SATISFIED", "comment": ""}, when=at(1, month=12))
    assert closed.payload["reopened"] == 1 and closed.payload["on_time"] is True
    assert run.state["ratings"] == [rating, "SATISFIED"]


def test_closing_without_evidence_or_rating_is_refused_with_every_reason():
    run = Run()
    run.open()
    refused = refusal(
        run.feed("IssueCloseRequested", {"requested_by": "financial_affairs", "note": ""}, when=at(24))
    )
    assert refused["action"] == "CLOSE"
    assert refused["reasons"] == ["承办单位尚未答复企业", "缺少承办单位的办理证据", "企业尚未评价"]
    # Answered without evidence and rated satisfied: still not closable.
    run.feed("IssueAnswered", answered(evidence=[]), when=at(24, 10))
    assert run.feed("IssueRated", {"rating": "SATISFIED", "comment": ""}, when=at(24, 11)) == []
    assert run.status == "rated"
    refused = refusal(
        run.feed("IssueCloseRequested", {"requested_by": "financial_affairs", "note": ""}, when=at(24, 12))
    )
    assert refused["reasons"] == ["缺少承办单位的办理证据"]
    # The evidence, supplied later, closes it.
    [closed] = run.feed("IssueAnswered", answered(), when=at(25))
    assert closed.type == "IssueClosed" and run.status == "closed"
    assert refusal(run.feed("IssueCloseRequested", {"requested_by": "x", "note": ""}, when=at(26)))[
        "reasons"
    ] == ["问题已办结"]


def test_a_close_request_with_evidence_and_a_satisfied_rating_closes():
    run = Run(IssueMachine())
    run.open()
    run.feed("IssueAnswered", answered(evidence=[]), when=at(24))
    run.feed("IssueRated", {"rating": "BASICALLY_SATISFIED", "comment": ""}, when=at(24, 10))
    run.state["evidence"] = ["补充证据"]  # as if supplied out of band
    [closed] = run.feed(
        "IssueCloseRequested", {"requested_by": "financial_affairs", "note": ""}, when=at(24, 11)
    )
    assert closed.type == "IssueClosed"


def overdue(run, *, when):
    deadline = current_deadline(run.state)
    payload = {
        "stage": deadline.stage,
        "deadline": deadline.at,
        "status": run.status,
        "tier": run.state["tier"],
        "lead_department": run.state["lead"],
        "category": "financing",
        "tags": [],
    }
    return run.feed("IssueOverdue", payload, when=when)


def test_overdue_escalates_one_tier_at_a_time_up_to_the_joint_meeting_then_stops():
    run = Run()
    run.open(tier="TOWNSHIP")
    [first] = overdue(run, when=at(26, 10))
    assert first.type == "IssueEscalated" and first.payload["stage"] == "REPLY"
    assert (first.payload["from_tier"], first.payload["to_tier"]) == ("TOWNSHIP", "COUNTY")
    assert first.payload["supervised_by"] == "区县督办室" and run.status == "escalated"
    assert first.payload["resolve_by"] == due(at(26, 10), 5)
    assert current_deadline(run.state).stage == "RESOLVE"
    [second] = overdue(run, when=at(4, 11, month=12))
    assert (second.payload["from_tier"], second.payload["to_tier"]) == ("COUNTY", "CITY")
    [third] = overdue(run, when=at(11, 12, month=12))
    assert third.payload["mode"] == "JOINT_MEETING" and third.payload["supervised_by"] == "市联席会议"
    # Nothing is above the city joint meeting: the issue stays overdue for the watchdog to alert.
    assert overdue(run, when=at(18, 13, month=12)) == []
    assert run.status == "overdue" and run.state["escalations"] == 3
    # Answered and rated at last: closed, late.
    run.feed("IssueAnswered", answered(), when=at(21, month=12))
    [closed] = run.feed("IssueRated", {"rating": "SATISFIED", "comment": ""}, when=at(22, month=12))
    assert closed.payload["on_time"] is False and closed.payload["escalations"] == 3


def test_a_stale_overdue_notice_is_ignored():
    run = Run()
    [assigned] = run.open()
    run.feed("IssueInterimReplied", {"department": "financial_affairs", "message": "处理中"}, when=at(24))
    stale = {
        "stage": "REPLY",
        "deadline": assigned.payload["reply_by"],
        "status": "assigned",
        "tier": "COUNTY",
        "lead_department": "financial_affairs",
        "category": "financing",
        "tags": [],
    }
    assert run.feed("IssueOverdue", stale, when=at(26, 10)) == []
    assert run.state["overdue"] == [] and run.status == "handling"


def test_an_issue_nobody_accepts_is_overdue_without_escalation():
    run = Run()
    run.feed("IssueRaised", raised_payload(), when=at(23))
    assert overdue(run, when=at(24, 10)) == []
    assert run.status == "overdue" and run.state["overdue"] == [f"ACCEPT@{at(24)}"]
    # Accepted late after all: assigned, with the reply deadline counted from the raise.
    [assigned] = run.feed("IssueAccepted", {**raised_payload(), "raised_at": at(23)}, when=at(24, 11))
    assert assigned.payload["reply_by"] == at(26)


def test_a_stuck_alert_is_recorded_once():
    run = Run()
    run.open(difficulty="HARD")
    deadline = current_deadline(run.state)
    payload = {
        "stage": deadline.stage,
        "deadline": deadline.at,
        "status": "assigned",
        "tier": "CITY",
        "lead_department": "financial_affairs",
        "category": "financing",
        "tags": [],
        "overdue_working_days": 1.5,
        "reason": "停滞",
    }
    run.feed("IssueStuck", payload, when=at(30))
    run.feed("IssueStuck", payload, when=at(30, 10))
    assert run.state["stuck"] == [f"{deadline.stage}@{deadline.at}"]


def test_a_merged_duplicate_ends_and_the_survivor_keeps_the_report():
    merge = {
        "duplicate_issue_id": "QY-DUP",
        "surviving_issue_id": ISSUE,
        "channel": "ONLINE_ZONE",
        "category": "financing",
        "description": "再次反映",
        "similarity": 0.9,
    }
    duplicate = Run(case_id="QY-DUP")
    duplicate.feed("IssueRaised", raised_payload(channel="ONLINE_ZONE"), when=at(24))
    duplicate.feed("IssueMerged", merge, when=at(24, 10))
    assert duplicate.status == "merged" and current_deadline(duplicate.state) is None
    assert duplicate.state["merged_into"] == ISSUE
    assert duplicate.feed("IssueAccepted", {**raised_payload(), "raised_at": at(24)}, when=at(24, 11)) == []
    survivor = Run()
    survivor.open()
    survivor.feed("IssueMerged", merge, when=at(24, 10))
    assert survivor.state["merged_reports"] == ["QY-DUP"] and survivor.status == "assigned"


def test_an_event_for_an_unknown_issue_is_refused_and_keeps_no_state():
    state, outputs = IssueMachine().apply(
        None, event("IssueCloseRequested", {"requested_by": "x", "note": ""}, when=at(23))
    )
    assert state is None
    assert refusal(outputs)["reasons"] == ["问题编号不存在"]


def test_each_city_has_its_own_deadlines():
    book = DeadlineBook(DeadlineRules(), {"zaozhuang": DeadlineRules(reply=2, resolve=10)})
    [assigned] = Run(IssueMachine(book)).open(city="zaozhuang")
    assert assigned.payload["reply_by"] == at(25) and assigned.payload["resolve_by"] == at(7, month=12)


def test_a_satisfied_issue_escalated_for_missing_evidence_closes_when_the_evidence_comes():
    run = Run()
    run.open()
    run.feed("IssueAnswered", answered(evidence=[]), when=at(24))
    run.feed("IssueRated", {"rating": "SATISFIED", "comment": ""}, when=at(24, 10))
    [escalated] = overdue(run, when=at(15, 10, month=12))
    assert escalated.payload["stage"] == "RESOLVE" and run.status == "escalated"
    [closed] = run.feed("IssueAnswered", answered(), when=at(16, month=12))
    assert closed.type == "IssueClosed" and closed.payload["on_time"] is False


def test_an_answer_and_a_rating_read_in_either_order_close_at_the_same_moment():
    # Two topics: the worker reads them in arrival order, a replay in the broker's time order.
    closed = []
    for order in ("rating first", "answer first"):
        run = Run()
        run.open()
        run.feed("IssueAnswered", answered(evidence=[]), when=at(24))
        rating = ("IssueRated", {"rating": "SATISFIED", "comment": ""}, at(25))
        answer = ("IssueAnswered", answered(), at(26))
        for kind, payload, when in (rating, answer) if order == "rating first" else (answer, rating):
            run.feed(kind, payload, when=when)
        assert run.status == "closed"
        closed.append(run.state)
    assert closed[0] == closed[1]
    assert closed[0]["closed_at"] == at(26)
