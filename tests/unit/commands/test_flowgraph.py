"""The static check names each kind of broken declaration on one line, and passes the real ones."""

from __future__ import annotations

from streams.commands import declared
from streams.commands.flowgraph import Edge, analyse
from streams.config import Settings
from streams.flows import Step
from tests.unit.commands.declarations import SHOP_SCHEMAS, STEPS, department, matter, shop, shop_flow


def messages(departments, flows, schemas=SHOP_SCHEMAS) -> list[str]:
    return [str(p) for p in analyse(departments, flows, schemas).problems]


def test_a_sound_flow_has_no_problems_and_edges_along_its_triggers():
    analysis = analyse(shop(), [shop_flow()], SHOP_SCHEMAS)
    assert analysis.ok
    [graph] = analysis.graphs
    assert set(graph.edges) == {
        Edge("Applied", "registry.licence", "Applied"),
        Edge("registry.licence", "registry.permit", "Licensed"),
        Edge("registry.licence", "fire.check", "Licensed"),
    }


def test_a_matter_no_event_of_the_flow_triggers_is_unreachable():
    departments = shop(department("tax", "税务", matter("register", "Taxed", "TaxRegistered")))
    flow = shop_flow(steps=(*shop_flow().steps, Step(matter="tax.register", after=("registry.permit",))))
    problems = messages(departments, [flow], SHOP_SCHEMAS | {"Taxed", "TaxRegistered"})
    assert (
        "open_shop: tax.register is unreachable from Applied: nothing that application sets off "
        "emits its trigger Taxed" in problems
    )


def test_an_after_that_disagrees_with_the_trigger_is_named():
    flow = shop_flow(
        steps=(
            Step(matter="registry.licence"),
            Step(matter="registry.permit", after=("registry.licence",)),
            Step(matter="fire.check", after=("registry.permit",)),  # but it runs on Licensed
        )
    )
    assert messages(shop(), [flow]) == [
        "open_shop: fire.check comes after registry.permit, but its trigger Licensed is the done event "
        "of none of them"
    ]


def test_a_first_step_must_be_triggered_by_the_application():
    flow = shop_flow(steps=(STEPS[0], Step(matter="registry.permit"), STEPS[2]))
    assert messages(shop(), [flow]) == [
        "open_shop: registry.permit comes after nothing, so its trigger should be the application "
        "Applied, not Licensed"
    ]


def test_an_emitted_event_nobody_consumes_and_no_flow_ends_with_is_named():
    departments = shop(
        department("stats", "统计", matter("count", "Licensed", "Counted", also_emits=("Tallied",)))
    )
    problems = messages(departments, [shop_flow()], SHOP_SCHEMAS | {"Counted", "Tallied"})
    assert problems == [
        "stats.count emits Counted, which no department consumes and no flow ends with",
        "stats.count emits Tallied, which no department consumes and no flow ends with",
    ]


def test_done_events_of_flow_matters_rejections_and_case_outcomes_are_final():
    departments = shop(department("archive", "档案", matter("file", "Checked", "CaseCompleted")))
    assert messages(departments, [shop_flow()], SHOP_SCHEMAS | {"CaseCompleted"}) == []


def test_a_trigger_or_emitted_event_without_a_schema_is_named():
    problems = messages(shop(), [shop_flow()], SHOP_SCHEMAS - {"Licensed", "Checked"})
    assert problems == [
        "registry.licence: emitted event Licensed has no schema in schemas/",
        "registry.permit: trigger Licensed has no schema in schemas/",
        "fire.check: trigger Licensed has no schema in schemas/",
        "fire.check: emitted event Checked has no schema in schemas/",
    ]


def test_an_application_without_a_schema_is_named():
    assert "open_shop: application Applied has no schema in schemas/" in messages(
        shop(), [shop_flow()], SHOP_SCHEMAS - {"Applied"}
    )


def test_an_unknown_matter_is_named_and_the_rest_still_drawn():
    flow = shop_flow(steps=(*shop_flow().steps, Step(matter="police.seal", after=("registry.lisence",))))
    analysis = analyse(shop(), [flow], SHOP_SCHEMAS)
    assert [str(p) for p in analysis.problems] == ["open_shop: names unknown matter police.seal"]
    assert len(analysis.graphs[0].matters) == 3


def test_an_after_naming_an_unknown_matter_is_named():
    flow = shop_flow(steps=(Step(matter="registry.licence"), Step(matter="registry.permit", after=("x.y",))))
    problems = messages(shop(), [flow])
    assert "open_shop: registry.permit comes after unknown matter x.y" in problems


def test_problems_say_which_flow_matter_and_event():
    flow = shop_flow(steps=(STEPS[0], Step(matter="registry.permit"), STEPS[2]))
    [problem] = analyse(shop(), [flow], SHOP_SCHEMAS).problems
    assert (problem.kind, problem.flow, problem.matter, problem.event) == (
        "order",
        "open_shop",
        "registry.permit",
        "Licensed",
    )


def test_the_real_declarations_pass(catalog):
    declarations = declared.load(Settings())
    analysis = analyse(declarations.departments, declarations.flows, catalog)
    assert [str(p) for p in analysis.problems] == []


def test_a_matter_named_twice_is_named():
    flow = shop_flow(steps=(*STEPS, STEPS[1]))
    assert messages(shop(), [flow]) == ["open_shop: names registry.permit twice"]


def joined_shop(*extra, trigger=("Permitted", "Checked"), after=("registry.permit", "fire.check")):
    """A sign-off that waits for both the permit and the fire check (all-of triggers)."""
    departments = shop(department("mayor", "市长", matter("sign", trigger, "Signed")), *extra)
    flow = shop_flow(steps=(*STEPS, Step(matter="mayor.sign", after=after)))
    return departments, flow


def test_a_joined_matter_is_reachable_when_all_its_triggers_are_and_drawn_from_each():
    departments, flow = joined_shop()
    analysis = analyse(departments, [flow], SHOP_SCHEMAS | {"Signed"})
    assert analysis.ok, [str(p) for p in analysis.problems]
    assert {e for e in analysis.graphs[0].edges if e.target == "mayor.sign"} == {
        Edge("registry.permit", "mayor.sign", "Permitted"),
        Edge("fire.check", "mayor.sign", "Checked"),
    }


def test_a_joined_matter_with_one_trigger_nobody_emits_is_unreachable():
    departments, flow = joined_shop(trigger=("Permitted", "Taxed"), after=("registry.permit",))
    problems = messages(departments, [flow], SHOP_SCHEMAS | {"Signed", "Taxed"})
    assert problems[0] == (
        "open_shop: mayor.sign is unreachable from Applied: nothing that application sets off "
        "emits its trigger Taxed"
    )


def test_each_trigger_of_a_join_must_come_from_a_matter_it_is_after_or_the_application():
    departments, flow = joined_shop(after=("registry.permit",))
    assert messages(departments, [flow], SHOP_SCHEMAS | {"Signed"}) == [
        "open_shop: mayor.sign comes after registry.permit, but its trigger Checked is the done event "
        "of none of them"
    ]
    departments, flow = joined_shop(trigger=("Applied", "Permitted"), after=("registry.permit",))
    assert messages(departments, [flow], SHOP_SCHEMAS | {"Signed"}) == []
