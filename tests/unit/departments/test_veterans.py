"""退役军人事务局, with 人武部: reporting in, the allowance, and everything that follows."""

from datetime import timedelta

from agents.flows import veteran_resettlement
from streams.samples import today
from tests.unit.platform import apply, rejection_of


async def test_reporting_in_sets_off_every_resettlement_matter():
    case = await apply(veteran_resettlement)
    reported = case.one("VeteranReported")
    followers = {e.type for e in case.events if e.causation_id == reported.event_id}
    assert followers == {
        "SettlementAllowanceGranted",
        "VeteranHouseholdRestored",
        "VeteranPensionTransferred",
        "VeteranMedicalInsuranceTransferred",
        "ReserveRegistered",
    }
    assert case.one("SettlementAllowanceGranted")["amount_yuan"] == 30000.0
    assert case.one("ReserveRegistered")["unit"].startswith("330203预备役连")


async def test_reporting_late_or_for_a_job_one_does_not_qualify_for_is_refused():
    late = await apply(veteran_resettlement, discharged_on=today() - timedelta(days=45))
    assert rejection_of(late, "veterans.veteran_reporting")["reasons"] == [
        "已超过退出现役之日起 30 日的报到期限（已 45 日）"
    ]
    assigned = await apply(veteran_resettlement, placement="ASSIGNED")
    assert "满 12 年的士官" in rejection_of(assigned, "veterans.veteran_reporting")["reasons"][0]


async def test_an_assigned_job_replaces_the_allowance():
    case = await apply(veteran_resettlement, placement="ASSIGNED", service_years=14)
    assert "SettlementAllowanceGranted" not in case.types and case.outcome.type == "CaseCompleted"
