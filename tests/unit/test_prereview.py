"""智能预审 / 一次告知: at submission the flow's lead names every department's objection in one
notice, and nothing is issued for a case that will be refused."""

from datetime import date

from agents.flows import newborn, public_rental_housing, restaurant
from agents.market_regulation import RESTAURANT_MATERIALS
from streams.department import Department
from streams.events import emit
from streams.flows import Flow, FlowMap, Step
from streams.prereview import PreReview, lead_matter
from streams.processing import DepartmentProcessor
from streams.publisher import Publisher
from streams.rules import rule
from tests.unit.platform import apply, platform
from tests.unit.test_processing import application


async def test_a_tiny_restaurant_with_no_staff_and_a_missing_material_hears_everything_once():
    case = await apply(
        restaurant,
        business_name="中华面馆",
        premises_area_m2=8.0,
        staff_count=0,
        materials=[m for m in RESTAURANT_MATERIALS if m != "kitchen_layout"],
    )
    [notice] = case.rejections()
    assert (notice["department"], notice["matter"]) == ("market_regulation", "business_license")
    assert notice["reasons"] == [
        "缺少材料：厨房布局平面图",
        "企业名称“中华面馆”使用了须经批准的字词",
        "经营场所面积不足以设置食品处理区（< 10 m²）",
        "卫生健康委员会：餐饮店须至少登记一名从业人员",
    ]
    assert notice["missing_materials"] == ["kitchen_layout"]
    assert "BusinessLicenseIssued" not in case.types
    assert case.outcome.type == "CaseRejected"


async def test_a_refused_name_means_no_birth_certificate():
    case = await apply(newborn, child_name="李小明", birth_weight_g=9000)
    [notice] = case.rejections()
    assert notice["reasons"] == [
        "出生体重 9000 克超出合理范围，请接生医院核实",
        "公安局：子女姓名“李小明”应随父姓或者母姓",
    ]
    assert "BirthCertificateIssued" not in case.types


async def test_rules_of_matters_the_application_does_not_need_are_not_asked():
    # No maternity claim: 医保's rule on delivery costs has nothing to say.
    case = await apply(newborn, claim_maternity_costs=False, delivery_cost_yuan=0.0)
    assert case.outcome.type == "CaseCompleted"


async def test_an_eligible_application_goes_through_untouched():
    case = await apply(restaurant)
    assert case.rejections() == [] and case.outcome.type == "CaseCompleted"


def test_another_departments_rule_is_named_with_the_department():
    registry, archive = Department("registry", "登记处"), Department("archive", "档案馆")

    @rule("pages")
    def some_pages(payload, on):
        return [] if payload["pages"] > 0 else ["没有页数"]

    @registry.matter("licence", "执照", trigger="Applied", done="Licensed", sla_working_days=1)
    async def licence(event):
        return [emit("Licensed")]

    @archive.matter("file", "归档", trigger="Applied", done="Filed", sla_working_days=1, rules=(some_pages,))
    async def file(event):
        return [emit("Filed")]

    flow = Flow(
        name="shop",
        display_name="开店",
        lead="registry",
        application="Applied",
        steps=(Step(matter="registry.licence"), Step(matter="archive.file")),
        sla_working_days=2,
    )
    flow_map = FlowMap([flow], [registry, archive])
    assert lead_matter(flow, flow_map) == "registry.licence"
    review = PreReview(flow_map)
    assert review.problems(flow, {"pages": 0}, date(2026, 12, 1)) == ["档案馆：没有页数"]
    assert review.problems(flow, {"pages": 3}, date(2026, 12, 1)) == []


def test_every_flow_has_a_lead_matter_answering_its_application():
    flow_map = platform().tracker.flow_map
    assert {lead_matter(flow, flow_map) for flow in flow_map.flows.values()}


async def test_parallel_checks_that_would_each_refuse_are_told_in_one_notice():
    # Before: 民政 and 公积金 each published a refusal of their own after 住建 had accepted.
    case = await apply(
        public_rental_housing, monthly_income_per_capita_yuan=5200.0, has_provident_fund_loan=True
    )
    [notice] = case.rejections()
    assert notice["department"] == "housing"
    assert [reason.split("：")[0] for reason in notice["reasons"]] == ["民政局", "住房公积金管理中心"]
    assert "RentalHousingApplicationAccepted" not in case.types


async def test_a_matter_beside_the_lead_issues_nothing_when_the_lead_will_refuse(catalog, codec):
    registry, fire = Department("market_regulation", "市场监管局"), Department("fire_rescue", "消防救援支队")

    @rule("premises_area_m2")
    def big_enough(payload, on):
        return [] if payload["premises_area_m2"] >= 10 else ["太小"]

    @registry.matter(
        "business_license",
        "执照",
        trigger="RestaurantApplicationSubmitted",
        done="BusinessLicenseIssued",
        sla_working_days=1,
        rules=(big_enough,),
    )
    async def licence(event):
        raise AssertionError("the rule fails first: the handler never runs")

    @fire.matter(
        "fire_safety_inspection",
        "消防",
        trigger="RestaurantApplicationSubmitted",
        done="FireSafetyInspectionPassed",
        sla_working_days=1,
    )
    async def inspect(event):
        return [emit("FireSafetyInspectionPassed", inspection_no="XF1", premises_area_m2=8.0)]

    flow = Flow(
        name="shop",
        display_name="开店",
        lead="market_regulation",
        application="RestaurantApplicationSubmitted",
        steps=(
            Step(matter="market_regulation.business_license"),
            Step(matter="fire_rescue.fire_safety_inspection"),
        ),
        sla_working_days=2,
    )
    review = PreReview(FlowMap([flow], [registry, fire]))
    tiny = application(premises_area_m2=8.0)
    tiny.envelope["occurred_at"] = 1_796_000_000_000

    def processor(department):
        publisher = Publisher(catalog, codec, producer=department.name, version="1")
        return DepartmentProcessor(department, publisher, pre_review=review)

    [notice] = await processor(registry).handle(tiny)
    assert notice.event.type == "MatterRejected" and notice.event.payload["reasons"] == ["太小"]
    assert await processor(fire).handle(tiny) == []
