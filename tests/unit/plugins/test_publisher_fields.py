"""The publisher refuses a payload field its schema lacks, and a value of the wrong type."""

from __future__ import annotations

import pytest

from streams.events import NewEvent
from streams.publisher import InvalidOutput, Publisher
from streams.testing import Harness


def build(catalog, codec, **payload):
    publisher = Publisher(catalog, codec, producer="human_resources", version="1")
    return publisher.build(NewEvent("PensionGranted", payload, "ct_x"), cause=None, case_id="C-1")


def test_an_undeclared_field_is_refused_not_dropped(retirement):
    harness = Harness([], catalog=retirement)
    with pytest.raises(InvalidOutput, match="PensionGranted has no field bonus_yuan in its schema"):
        build(retirement, harness.codec, retiree="ct_x", monthly_pension_yuan=1.0, bonus_yuan=2.0)


def test_a_string_is_not_turned_into_a_number(retirement):
    harness = Harness([], catalog=retirement)
    with pytest.raises(
        InvalidOutput, match=r"PensionGranted does not fit its schema: .*monthly_pension_yuan"
    ):
        build(retirement, harness.codec, retiree="ct_x", monthly_pension_yuan="1")


def test_an_int_for_a_double_is_still_fine(retirement):
    harness = Harness([], catalog=retirement)
    record = build(retirement, harness.codec, retiree="ct_x", monthly_pension_yuan=1)
    assert harness.decoded(record).payload == {"retiree": "ct_x", "monthly_pension_yuan": 1.0}
