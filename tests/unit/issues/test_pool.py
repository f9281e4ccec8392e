"""Merge detection: the same enterprise reporting the same open problem again."""

from streams.issues import pool
from tests.unit.issues.helpers import USCC, at, event, raised_payload

MONDAY = at(23)
LOAN = "企业申请的创业担保贷款已提交两个月，银行迟迟未放款，影响原材料采购"


def report(issue_id, *, when=MONDAY, **changes):
    return event(
        "IssueRaised", raised_payload(**{"description": LOAN, **changes}), when=when, case_id=issue_id
    )


def test_similarity_recognises_rephrased_chinese_reports():
    assert pool.similarity(LOAN, "再次反映：" + LOAN) == 1.0
    assert pool.similarity(LOAN, "创业担保贷款申请两个月了银行还是没有放款，原材料采购受影响") >= pool.SIMILAR
    assert pool.similarity(LOAN, "企业申请的技改补贴已公示三个月仍未拨付") < pool.SIMILAR
    assert pool.similarity(LOAN, "厂区门口道路破损严重") == 0.0


def test_a_first_report_is_accepted_with_its_details():
    state, [(accepted, issue_id)] = pool.apply(None, report("QY-1"))
    assert (accepted.type, issue_id) == ("IssueAccepted", "QY-1")
    assert accepted.payload["raised_at"] == at(23) and accepted.payload["uscc"] == USCC
    assert [i["issue_id"] for i in state["open"]] == ["QY-1"]


def test_a_repeated_report_merges_into_the_open_issue_in_both_histories():
    state, _ = pool.apply(None, report("QY-1"))
    repeat = report("QY-2", when=at(24), channel="ONLINE_ZONE", description="再次反映：" + LOAN)
    state, outputs = pool.apply(state, repeat)
    assert [(new.type, issue_id) for new, issue_id in outputs] == [
        ("IssueMerged", "QY-2"),
        ("IssueMerged", "QY-1"),
    ]
    merge = outputs[0][0].payload
    assert merge["duplicate_issue_id"] == "QY-2" and merge["surviving_issue_id"] == "QY-1"
    assert merge["channel"] == "ONLINE_ZONE" and merge["similarity"] == 1.0
    assert [i["issue_id"] for i in state["open"]] == ["QY-1"]
    # Redelivered, the repeat changes nothing.
    assert pool.apply(state, repeat)[1] == []


def test_another_category_or_a_different_problem_is_a_new_issue():
    state, _ = pool.apply(None, report("QY-1"))
    state, [(other, _)] = pool.apply(state, report("QY-2", category="employment"))
    state, [(different, _)] = pool.apply(
        state, report("QY-3", description="技改项目需要中长期贷款，银行要求追加抵押")
    )
    assert other.type == different.type == "IssueAccepted"


def test_after_closure_the_same_problem_is_a_new_issue():
    state, _ = pool.apply(None, report("QY-1"))
    state, _ = pool.apply(state, event("IssueClosed", {}, when=at(30), case_id="QY-1"))
    assert state["open"] == []
    _, [(again, issue_id)] = pool.apply(state, report("QY-2", when=at(1, month=12)))
    assert (again.type, issue_id) == ("IssueAccepted", "QY-2")
