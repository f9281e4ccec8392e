"""`onething issues`: one-line errors, a readable history and the figures as tables."""

import pytest

from streams.cli import main
from streams.issues.cli import render
from streams.issues.history import describe_issue
from streams.issues.report import issue_summary
from tests.unit.issues.helpers import Run, at, event, raised_payload


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["issues"], "required: {simulate,show}"),
        (["issues", "simulate"], "required: --count"),
        (["issues", "simulate", "--count", "x"], "'x' is not a number"),
        (["issues", "simulate", "--count", "-2"], "'-2' is not a positive number"),
        (["issues", "show"], "required: issue_id"),
        (["issues", "replay"], "invalid choice: 'replay'"),
    ],
)
def test_wrong_arguments_get_one_line(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_code:
        raise SystemExit(main(argv))
    assert exit_code.value.code == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def closed_issue():
    """The events of an issue that went the whole way, as the log would hold them."""
    run, events = Run(), []

    def feed(kind, payload, when, producer="test"):
        e = event(kind, payload, when=when, producer=producer)
        events.append(e)
        for new in run.feed_event(e):
            events.append(event(new.type, new.payload, when=when + 1, producer="issue_loop"))

    feed("IssueRaised", raised_payload(tags=["多次反映"]), at(23), "service_center")
    feed(
        "IssueAccepted", {**raised_payload(tags=["多次反映"]), "raised_at": at(23)}, at(23, 10), "issue_pool"
    )
    answer = {"department": "financial_affairs", "answer": "已放款", "evidence": ["放款凭证"]}
    feed("IssueAnswered", {**answer, "resolution": "PARTIALLY_RESOLVED"}, at(24), "issue_desks")
    feed("IssueRated", {"rating": "DISSATISFIED", "comment": "只解决了一部分"}, at(24, 12), "enterprises")
    feed("IssueCloseRequested", {"requested_by": "financial_affairs", "note": ""}, at(25), "issue_desks")
    feed("IssueAnswered", {**answer, "resolution": "RESOLVED"}, at(26), "issue_desks")
    feed("IssueRated", {"rating": "SATISFIED", "comment": "问题已解决"}, at(26, 12), "enterprises")
    feed(
        "IssueFollowedUp",
        {"method": "PHONE", "by": "hotline_12345", "outcome": "已解决", "problem_solved": True},
        at(27),
        "hotline_12345",
    )
    return events


def test_the_history_says_who_did_what_when_and_why():
    lines = describe_issue("QY-UNIT", closed_issue(), {"hotline_12345": "12345热线回访组"})
    text = "\n".join(lines)
    assert lines[0] == "涉企问题 QY-UNIT"
    assert "状态：已办结" in lines[1] and "宁波恒达精密机械有限公司" in lines[1]
    for expected in (
        "提出诉求",
        "12345热线 · 融资难 · 区县级［多次反映］",
        "分派",
        "地方金融管理局",
        "部分解决：已放款",
        "不满意：只解决了一部分",
        "重新办理",
        "整改时限 2026-12-15 12:00",
        "办结（地方金融管理局）：企业评价为“不满意”",
        "按时办结",
        "12345热线回访组",
        "电话回访",
    ):
        assert expected in text, expected
    assert lines[2].startswith("  2026-11-23 09:00")


def test_the_figures_render_as_tables():
    lines = render(issue_summary({"QY-UNIT": closed_issue()}))
    text = "\n".join(lines)
    assert lines[0].startswith("涉企问题 1 件")
    assert "办结率" in text and "100.0%" in text and "地方金融管理局" in text and "12345热线" in text
