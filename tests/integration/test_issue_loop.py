"""The enterprise issue loop on the real broker, on a clock fast enough to reach its deadlines.

The session worker is swapped for one whose clock runs 40 000× (a calendar day in about two real
seconds): normal flows take a fraction of a working day, while a department that waits for
supervision misses its 3-working-day reply deadline within seconds. Every scenario is raised at
once; each test then checks its own issue.
"""

from __future__ import annotations

import time
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from streams.cli import main
from streams.identifiers import make_uscc
from streams.issues import issue_summary, simulate_issues
from streams.issues import model as m
from streams.issues.simulation import ended
from streams.service_desk import new_case_id
from tests.integration.conftest import worker_env

pytestmark = pytest.mark.integration

SPEED = 40_000.0
TIMEOUT = 90

SCENARIOS = {
    "ordinary": {"category": "financing", "description": "创业担保贷款提交两个月仍未放款"},
    "objection": {"category": "logistics", "description": "快递网点拒绝上门揽收大件货物，电商订单积压"},
    "extension": {
        "category": "policy_fulfilment",
        "description": "技改补贴公示三个月仍未拨付",
        "tags": [m.TAG_SITE_CHECK],
    },
    "unsatisfied": {
        "category": "utilities",
        "description": "新厂区用电扩容两个月未接通",
        "tags": [m.TAG_REPEATED],
    },
    "eager": {"category": "environment", "description": "排污许可证变更申请一直未办理"},
    "slow": {
        "category": "arrears",
        "description": "街道下属单位拖欠物业服务费两年",
        "tier": "TOWNSHIP",
        "tags": [m.TAG_LEGACY],
        "difficulty": "ORDINARY",
    },
    "stuck": {
        "category": "land",
        "description": "工业用地出让后配套道路一直未建",
        "channel": "MEETING",
        "difficulty": "HARD",
        "tags": [m.TAG_LEGACY],
    },
}


def payload(name, **changes):
    base = {
        "channel": "HOTLINE_12345",
        "uscc": make_uscc(f"issue-loop-{name}-{time.time()}"),
        "enterprise_name": f"宁波{name}测试有限公司",
        "category": "financing",
        "description": "",
        "tier": "COUNTY",
        "city": "ningbo",
        "difficulty": None,
        "tags": [],
    }
    return {**base, **SCENARIOS.get(name, {}), **changes}


def raise_issue(intake, body):
    return intake.submit(m.RAISED, body, subject=body["uscc"], case_id=new_case_id("QY")).case_id


def wait_for(event_log, issue_id, predicate, what):
    ok = event_log.wait_until(lambda: predicate(event_log.events(issue_id)), TIMEOUT)
    assert ok, f"{issue_id}: no {what}; saw {[e.type for e in event_log.events(issue_id)]}"
    return event_log.events(issue_id)


def first(events, kind):
    return next(e for e in events if e.type == kind)


def every(events, kind):
    return [e for e in events if e.type == kind]


@pytest.fixture(scope="module")
def issues(fast_connection, intake, event_log):
    """Raise every scenario at once, plus a simulated batch; act where a test needs a person to."""
    ids = {name: raise_issue(intake, payload(name)) for name in SCENARIOS}
    simulated = simulate_issues(fast_connection, count=9, seed=11)
    slow = ids["slow"]
    wait_for(event_log, slow, lambda es: any(e.type == m.HANDLING_STARTED for e in es), "signing")
    # Someone tries to close the slow issue before anything was answered or rated.
    body = payload("slow")
    intake.submit(
        m.CLOSE_REQUESTED,
        {"requested_by": "economy_information", "note": "申请销号"},
        subject=body["uscc"],
        case_id=slow,
    )
    # The same enterprise reports the slow issue's problem again, through another channel.
    original = first(event_log.events(slow), m.RAISED).payload
    ids["repeat"] = raise_issue(
        intake, {**original, "channel": "ONLINE_ZONE", "description": "再次反映：" + original["description"]}
    )
    return ids, simulated


def closed(events):
    return any(e.type == m.CLOSED for e in events)


def test_an_ordinary_issue_goes_through_every_state_to_closure_and_follow_up(issues, event_log):
    issue = issues[0]["ordinary"]
    events = wait_for(event_log, issue, lambda es: any(e.type == m.FOLLOWED_UP for e in es), "follow-up")
    chain = [
        first(events, kind) for kind in (m.RAISED, m.ACCEPTED, m.ASSIGNED, m.ANSWERED, m.RATED, m.CLOSED)
    ]
    for cause, effect in zip(chain, chain[1:], strict=False):
        assert effect.causation_id == cause.event_id, (cause.type, effect.type)
    assert first(events, m.HANDLING_STARTED).causation_id == chain[2].event_id
    assert first(events, m.FOLLOWED_UP).causation_id == chain[-1].event_id
    assert chain[2]["mode"] == "SINGLE" and chain[2]["lead_department"] == "financial_affairs"
    done = chain[-1]
    assert done["on_time"] is True and done["evidence"] and done["rating"] in m.SATISFIED
    assert not every(events, m.OVERDUE) and not every(events, m.REFUSED)
    assert {e.envelope["correlation_id"] for e in events} == {issue}
    assert {e.subject for e in events} == {chain[0]["uscc"]}


def test_an_objection_reroutes_the_issue_to_another_department(issues, event_log):
    events = wait_for(event_log, issues[0]["objection"], closed, "closure")
    first_assignment, second_assignment = every(events, m.ASSIGNED)
    objection = first(events, m.OBJECTED)
    assert first_assignment["lead_department"] == objection["department"] == "transport"
    assert objection["suggested_department"] == "postal"
    assert second_assignment.causation_id == objection.event_id
    assert (second_assignment["round"], second_assignment["lead_department"]) == (2, "postal")
    assert first(events, m.ANSWERED)["department"] == "postal"


def test_a_cross_department_issue_gets_its_one_extension(issues, event_log):
    events = wait_for(event_log, issues[0]["extension"], closed, "closure")
    assignment = first(events, m.ASSIGNED)
    assert assignment["mode"] == "LEAD_ASSIST" and assignment["assisting_departments"] == ["finance"]
    assert {e["department"] for e in every(events, m.INTERIM_REPLIED)} == {"finance", "economy_information"}
    granted = first(events, m.EXTENSION_GRANTED)
    assert granted.causation_id == first(events, m.EXTENSION_REQUESTED).event_id
    assert granted["previous_deadline"] == assignment["resolve_by"]
    assert granted["new_deadline"] > granted["previous_deadline"]
    assert first(events, m.ANSWERED).causation_id == granted.event_id


def test_an_unsatisfied_rating_reopens_the_issue_until_it_is_fixed(issues, event_log):
    events = wait_for(event_log, issues[0]["unsatisfied"], closed, "closure")
    bad, good = every(events, m.RATED)
    assert bad["rating"] == "DISSATISFIED" and good["rating"] in m.SATISFIED
    reopened = first(events, m.REOPENED)
    assert reopened.causation_id == bad.event_id and reopened["fix_by"] > bad.envelope["occurred_at"]
    partial, fixed = every(events, m.ANSWERED)
    assert partial["resolution"] == "PARTIALLY_RESOLVED" and fixed.causation_id == reopened.event_id
    assert first(events, m.CLOSED)["reopened"] == 1


def test_closing_without_a_rating_is_refused_with_the_reason(issues, event_log):
    events = wait_for(event_log, issues[0]["eager"], closed, "closure")
    refusal = first(events, m.REFUSED)
    assert refusal["action"] == "CLOSE" and "企业尚未评价" in refusal["reasons"]
    assert refusal.causation_id == first(events, m.CLOSE_REQUESTED).event_id
    assert first(events, m.CLOSED).causation_id == first(events, m.RATED).event_id


def test_a_slow_department_is_escalated_one_tier_then_answers(issues, event_log):
    events = wait_for(event_log, issues[0]["slow"], closed, "closure")
    refusal = first(events, m.REFUSED)
    assert refusal["action"] == "CLOSE"
    assert refusal["reasons"] == ["承办单位尚未答复企业", "缺少承办单位的办理证据", "企业尚未评价"]
    overdue = first(events, m.OVERDUE)
    assert overdue["stage"] == "REPLY" and overdue.producer == m.WATCHDOG
    assert overdue.envelope["occurred_at"] > overdue["deadline"]
    escalated = first(events, m.ESCALATED)
    assert escalated.causation_id == overdue.event_id
    assert (escalated["from_tier"], escalated["to_tier"]) == ("TOWNSHIP", "COUNTY")
    assert first(events, m.ANSWERED).causation_id == escalated.event_id
    assert first(events, m.CLOSED)["on_time"] is False
    assert len(every(events, m.OVERDUE)) == 1  # ticks repeat; the event id does not


def test_a_repeated_report_merges_into_the_open_issue(issues, event_log):
    ids = issues[0]
    events = wait_for(event_log, ids["repeat"], lambda es: any(e.type == m.MERGED for e in es), "merge")
    merge = first(events, m.MERGED)
    assert (merge["duplicate_issue_id"], merge["surviving_issue_id"]) == (ids["repeat"], ids["slow"])
    survivor = wait_for(event_log, ids["slow"], lambda es: any(e.type == m.MERGED for e in es), "merge")
    assert first(survivor, m.MERGED)["channel"] == "ONLINE_ZONE"
    assert not every(events, m.ACCEPTED) and not every(events, m.ASSIGNED)


def test_the_watchdog_alerts_on_an_issue_nothing_can_move(issues, event_log):
    events = wait_for(event_log, issues[0]["stuck"], closed, "closure")
    assignment = first(events, m.ASSIGNED)
    assert (assignment["mode"], assignment["tier"]) == ("JOINT_MEETING", "CITY")
    overdue, stuck = first(events, m.OVERDUE), first(events, m.STUCK)
    assert not every(events, m.ESCALATED)  # nothing is above the city joint meeting
    assert (stuck["stage"], stuck["deadline"]) == (overdue["stage"], overdue["deadline"])
    assert stuck["overdue_working_days"] >= 1 and stuck.producer == m.WATCHDOG
    # The alert reaches a leader; the department answers and the issue closes, late.
    assert first(events, m.ANSWERED).causation_id == stuck.event_id
    assert first(events, m.CLOSED)["on_time"] is False


def test_a_simulated_batch_closes_and_the_figures_add_up(issues, event_log):
    simulated = issues[1]
    assert event_log.wait_until(lambda: ended(event_log, simulated), TIMEOUT)
    summary = issue_summary({i: event_log.events(i) for i in simulated})
    assert summary["raised"] + summary["merged"] == 9 and summary["merged"] == 1
    assert summary["open"] == 0 and summary["closure_rate"] == 1.0 and summary["follow_up_rate"] == 1.0
    assert summary["escalated"] >= 1 and summary["reopened"] >= 1
    assert 0 < summary["satisfaction_rate"] < 1 and 0 < summary["on_time_rate"] < 1
    assert summary["average_working_days_to_close"] > 0
    assert sum(g["raised"] for g in summary["by_channel"].values()) == summary["raised"]


def test_prometheus_shows_the_loop(issues, event_log, fast_settings):
    wait_for(event_log, issues[0]["ordinary"], closed, "closure")
    text = urllib.request.urlopen(f"http://127.0.0.1:{fast_settings.metrics_port}/metrics", timeout=10).read()
    samples = {s.name: s for f in text_string_to_metric_families(text.decode()) for s in f.samples}
    for name in (
        "onething_issues_accepted_total",
        "onething_issues_assigned_total",
        "onething_issues_closed_total",
        "onething_issues_rated_total",
        "onething_issue_working_days_to_close_count",
    ):
        assert samples[name].value >= 1, name


def test_show_prints_an_issues_history(issues, event_log, fast_settings, monkeypatch, capsys):
    issue = issues[0]["objection"]
    wait_for(event_log, issue, closed, "closure")
    for name, value in worker_env(fast_settings).items():
        monkeypatch.setenv(name, value)
    assert main(["issues", "show", issue]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"涉企问题 {issue}\n")
    for expected in (
        "提出诉求",
        "提出异议",
        "快递末端派送属邮政管理部门监管职责",
        "邮政管理局",
        "办结",
        "回访",
    ):
        assert expected in out, expected
    assert main(["issues", "show", "QY-NO-SUCH-ISSUE"]) == 2
    assert capsys.readouterr().err == "onething: no issue QY-NO-SUCH-ISSUE in the event log\n"
