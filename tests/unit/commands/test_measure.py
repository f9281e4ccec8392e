"""Figures measured from the platform's own case events, per flow."""

from __future__ import annotations

from streams.commands.measure import Measured, measure, overall_online_rate
from streams.events import Event
from tests.unit.commands.declarations import shop_flow


def event(event_type: str, case_id: str, **payload) -> Event:
    return Event(event_type, payload, {"case_id": case_id})


def applied(case_id: str, channel: str = "ONLINE") -> Event:
    return event("Applied", case_id, channel=channel, materials=["id_card"])


def completed(case_id: str, **figures) -> Event:
    return event("CaseCompleted", case_id, flow="open_shop", matters=["registry.licence"], **figures)


def rejected(case_id: str) -> Event:
    return event("CaseRejected", case_id, flow="open_shop", matter="registry.licence", reasons=["缺少材料"])


def test_cases_are_counted_per_flow_once_each():
    events = [
        applied("C-1"),
        applied("C-2", "COUNTER"),
        applied("C-3"),
        applied("C-4", "SELF_SERVICE"),
        completed("C-1"),
        completed("C-1"),  # read twice: still one case
        rejected("C-2"),
    ]
    [shop] = measure(events, [shop_flow()]).values()
    assert (shop.started, shop.completed, shop.rejected, shop.open) == (4, 1, 1, 2)
    assert (shop.online, shop.applications, shop.online_rate) == (2, 4, 0.5)


def test_figures_are_averaged_over_completed_cases():
    events = [
        applied("C-1"),
        applied("C-2"),
        completed(
            "C-1", elapsed_working_days=2.5, trips=0, materials=2, steps=2, submissions=1, on_time=True
        ),
        completed(
            "C-2",
            elapsed_working_days=6.5,
            trips=1,
            materials=3,
            steps=3,
            submissions=2,
            on_time=False,
            departments=["registry", "fire"],
        ),
    ]
    shop = measure(events, [shop_flow()])["open_shop"]
    assert shop.measured == Measured(
        materials=2.5, trips=0.5, steps=2.5, working_days=4.5, submissions=1.5, on_time=1, timed=2
    )
    assert shop.on_time_rate == 0.5
    assert shop.departments == ("fire", "registry")


def test_completions_without_the_figures_count_but_do_not_pull_averages_to_zero():
    # CaseCompleted events written before the figures were added to the contract.
    events = [applied("C-1"), applied("C-2"), completed("C-1"), completed("C-2", elapsed_working_days=3.0)]
    shop = measure(events, [shop_flow()])["open_shop"]
    assert shop.completed == 2
    assert shop.measured.working_days == 3.0
    assert shop.measured.trips is None and shop.on_time_rate is None


def test_a_flow_without_cases_has_zeros_and_no_rates():
    shop = measure([], [shop_flow()])["open_shop"]
    assert (shop.started, shop.completed, shop.online_rate) == (0, 0, None)
    assert shop.measured == Measured()


def test_an_outcome_of_an_undeclared_flow_is_still_counted():
    events = [event("CaseCompleted", "C-9", flow="open_bakery", matters=[])]
    assert measure(events, [shop_flow()])["open_bakery"].completed == 1


def test_the_online_rate_across_flows_weighs_every_application():
    bakery = shop_flow(name="open_bakery", application="BakeryApplied")
    events = [applied("C-1"), applied("C-2", "COUNTER")] + [
        event("BakeryApplied", f"B-{i}", channel="ONLINE") for i in range(6)
    ]
    assert overall_online_rate(measure(events, [shop_flow(), bakery]).values()) == 7 / 8
    assert overall_online_rate([]) is None


def test_the_instant_share_counts_cases_whose_every_matter_was_approved_at_once():
    events = [
        completed("C-1", instant_matters=["registry.licence"]),
        event(
            "CaseCompleted",
            "C-2",
            flow="open_shop",
            matters=["registry.licence", "fire.check"],
            instant_matters=["registry.licence"],
        ),
        completed("C-3"),  # written before the contract recorded it: not counted either way
    ]
    shop = measure(events, [shop_flow()])["open_shop"]
    assert shop.instant_rate == 0.5
    assert shop.instant_matter_rate == 2 / 3
