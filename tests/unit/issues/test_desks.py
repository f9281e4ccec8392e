"""The simulated departments: behaviour driven by the issue's data, never by chance."""

import pytest

from agents.enterprise_issues import desks, enterprises, follow_up
from streams.processing import DepartmentProcessor
from streams.publisher import Publisher
from tests.unit.issues.helpers import at, event


def assignment(**changes):
    payload = {
        "round": 1,
        "mode": "SINGLE",
        "lead_department": "financial_affairs",
        "assisting_departments": [],
        "tier": "COUNTY",
        "difficulty": "ORDINARY",
        "category": "financing",
        "description": "贷款迟迟未放款",
        "tags": [],
        "uscc": "x",
        "enterprise_name": "y",
        "reason": "按类别分派",
        "object_by": at(24),
        "reply_by": at(26),
        "resolve_by": at(14, month=12),
        **changes,
    }
    return event("IssueAssigned", payload, when=at(23))


async def take(**changes):
    return await desks.take_assignment(assignment(**changes))


def kinds(outputs):
    return [o.type for o in outputs]


async def test_an_ordinary_desk_signs_and_answers_with_evidence():
    outputs = await take()
    assert kinds(outputs) == ["IssueHandlingStarted", "IssueAnswered"]
    answer = outputs[1].payload
    assert (
        answer["resolution"] == "RESOLVED"
        and answer["evidence"]
        and answer["department"] == "financial_affairs"
    )


async def test_a_desk_objects_to_an_issue_outside_its_remit():
    [objection] = await take(
        lead_department="transport", category="logistics", description="快递网点拒绝揽收"
    )
    assert objection.type == "AssignmentObjected"
    assert objection.payload["suggested_department"] == "postal"
    # The same category without the keyword is its own.
    assert "AssignmentObjected" not in kinds(await take(lead_department="transport", category="logistics"))


async def test_a_legacy_problem_waits_for_supervision_then_is_answered():
    assert kinds(await take(tags=["历史遗留问题"])) == ["IssueHandlingStarted"]
    escalation = event(
        "IssueEscalated",
        {
            "lead_department": "financial_affairs",
            "category": "financing",
            "tags": ["历史遗留问题"],
            "to_tier": "CITY",
            "mode": "SINGLE",
        },
        when=at(26),
    )
    assert kinds(await desks.answer_under_supervision(escalation)) == ["IssueAnswered"]


async def test_a_site_check_asks_for_an_extension_and_answers_once_granted():
    outputs = await take(tags=["需现场核查"])
    assert kinds(outputs) == ["IssueHandlingStarted", "IssueInterimReplied", "IssueExtensionRequested"]
    granted = event(
        "IssueExtensionGranted",
        {"department": "financial_affairs", "category": "financing", "tags": ["需现场核查"]},
        when=at(24),
    )
    assert kinds(await desks.answer_after_extension(granted)) == ["IssueAnswered"]


async def test_assisting_departments_report_and_a_repeated_problem_is_only_partly_solved_first():
    outputs = await take(mode="LEAD_ASSIST", assisting_departments=["finance"], tags=["多次反映"])
    assert kinds(outputs) == ["IssueHandlingStarted", "IssueInterimReplied", "IssueAnswered"]
    assert outputs[1].payload["department"] == "finance"
    assert outputs[2].payload["resolution"] == "PARTIALLY_RESOLVED"
    reopened = event(
        "IssueReopened",
        {"lead_department": "financial_affairs", "category": "financing", "tags": ["多次反映"]},
        when=at(25),
    )
    [fixed] = await desks.fix_after_bad_rating(reopened)
    assert fixed.payload["resolution"] == "RESOLVED"


async def test_the_environment_bureau_asks_to_close_with_its_answer():
    outputs = await take(lead_department="ecology_environment", category="environment")
    assert kinds(outputs)[-2:] == ["IssueAnswered", "IssueCloseRequested"]


async def test_a_stuck_alert_gets_an_answer_only_from_a_desk_still_holding_the_issue():
    def stuck(status):
        return event(
            "IssueStuck",
            {
                "lead_department": "financial_affairs",
                "category": "financing",
                "tags": [],
                "status": status,
                "tier": "CITY",
            },
            when=at(30),
        )

    assert kinds(await desks.answer_alert(stuck("overdue"))) == ["IssueAnswered"]
    assert await desks.answer_alert(stuck("answered")) == []


@pytest.mark.parametrize(
    ("resolution", "expected"),
    [
        ("PARTIALLY_RESOLVED", {"DISSATISFIED"}),
        ("EXPLAINED", {"BASICALLY_SATISFIED"}),
        ("RESOLVED", {"VERY_SATISFIED", "SATISFIED"}),
    ],
)
async def test_enterprises_rate_by_what_the_answer_did(resolution, expected):
    answer = event("IssueAnswered", {"resolution": resolution}, when=at(24))
    [rated] = await enterprises.rate_answer(answer)
    assert rated.payload["rating"] in expected
    assert (await enterprises.rate_answer(answer))[0].payload == rated.payload  # deterministic


async def test_every_closed_issue_is_followed_up():
    closed = event("IssueClosed", {"escalations": 1, "mode": "SINGLE", "rating": "SATISFIED"}, when=at(27))
    [visit] = await follow_up.follow_up(closed)
    assert visit.payload["method"] == "VISIT" and visit.payload["problem_solved"] is True


async def test_the_desks_emit_only_what_they_declare_and_it_fits_the_contracts(catalog, codec):
    processor = DepartmentProcessor(
        desks.department, Publisher(catalog, codec, producer="issue_desks", version="1")
    )
    for changes in (
        {},
        {"tags": ["需现场核查"]},
        {"lead_department": "ecology_environment", "category": "environment"},
        {"lead_department": "transport", "category": "logistics", "description": "快递"},
    ):
        assert await processor.handle(assignment(**changes))
