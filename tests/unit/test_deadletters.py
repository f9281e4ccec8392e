"""Picking dead letters: positions, kinds, agents, times, and what a letter says about its original."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from streams.calendar import CHINA
from streams.deadletter import HANDLER_FAILED, UNDECODABLE, DeadLetter
from streams.deadletters import Letter, Position, Selection, Source, counts, parse_kind, parse_time, unique

APPLICATIONS = "gov.service_center.restaurant_application_submitted.v1"
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=CHINA)


def letter(
    offset: int = 0,
    *,
    kind: str = UNDECODABLE,
    agent: str = "market_regulation",
    at: datetime = NOON,
    value: bytes | None = b"\x07 not avro",
    truncated: bool = False,
    extra: tuple[tuple[str, bytes], ...] = (),
) -> Letter:
    headers = DeadLetter(kind, "magic byte is 7, expected 0").headers(
        agent=agent, topic=APPLICATIONS, partition=2, offset=40 + offset, size=1_200_000, truncated=truncated
    )
    return Letter(
        position=Position(1, offset),
        timestamp=int(at.timestamp() * 1000),
        key=b"C-1",
        value=None if truncated else value,
        headers=(*extra, *headers),
    )


def test_a_position_is_typed_as_partition_colon_offset():
    assert Position.parse("2:17") == Position(2, 17)
    assert str(Position(2, 17)) == "2:17"
    for wrong in ("17", "a:b", "-1:3", "2:", ":5", "2:3:4"):
        with pytest.raises(ValueError, match="PARTITION:OFFSET"):
            Position.parse(wrong)


def test_positions_are_taken_once_in_the_order_given():
    assert unique([Position(0, 3), Position(1, 1), Position(0, 3)]) == [Position(0, 3), Position(1, 1)]


def test_an_unknown_kind_names_the_known_ones():
    assert parse_kind("handler-failed") == HANDLER_FAILED
    with pytest.raises(ValueError, match="unknown dead-letter kind 'crashed'.*undecodable"):
        parse_kind("crashed")


def test_a_time_without_zone_is_beijing_time():
    assert parse_time("2026-12-01T12:00") == NOON
    assert parse_time("2026-12-01T04:00:00+00:00") == NOON
    with pytest.raises(ValueError, match="not an ISO time"):
        parse_time("yesterday")


def test_a_letter_reads_its_headers():
    read = letter(3)
    assert (read.kind, read.agent, read.case_key) == (UNDECODABLE, "market_regulation", "C-1")
    assert read.size == 1_200_000  # the original's, from the headers
    assert read.source == Source(APPLICATIONS, 2, 43)
    assert str(read.source) == f"{APPLICATIONS}[2]@43"
    assert read.time == NOON
    assert not read.truncated


def test_the_original_keeps_the_records_own_headers_not_the_letters():
    read = letter(extra=(("event_id", b"e-1"),))
    original = read.original()
    assert original.headers == (("event_id", b"e-1"),)
    assert (original.key, original.value) == (b"C-1", b"\x07 not avro")


def test_a_reference_has_no_original_to_give():
    reference = letter(truncated=True)
    assert reference.truncated and reference.value is None
    with pytest.raises(ValueError, match=f"reference: its original is on {APPLICATIONS}\\[2\\]@40"):
        reference.original()


def test_selection_by_agent_kind_and_time():
    letters = [
        letter(0, kind=UNDECODABLE, agent="tracker", at=NOON - timedelta(days=1)),
        letter(1, kind=HANDLER_FAILED, agent="faulty", at=NOON),
        letter(2, kind=UNDECODABLE, agent="faulty", at=NOON + timedelta(hours=1)),
    ]

    def offsets(selection: Selection) -> list[int]:
        return [x.position.offset for x in selection.pick(letters)]

    assert offsets(Selection()) == [0, 1, 2]
    assert offsets(Selection(agent="faulty")) == [1, 2]
    assert offsets(Selection(kind=UNDECODABLE)) == [0, 2]
    assert offsets(Selection(agent="faulty", kind=UNDECODABLE)) == [2]
    assert offsets(Selection(since=NOON)) == [1, 2]
    assert offsets(Selection(until=NOON)) == [0]
    assert offsets(Selection(since=NOON, until=NOON + timedelta(minutes=1))) == [1]


def test_a_selection_refuses_nonsense():
    with pytest.raises(ValueError, match="unknown dead-letter kind"):
        Selection(kind="lost")
    with pytest.raises(ValueError, match="--since is later than --until"):
        Selection(since=NOON, until=NOON - timedelta(days=1))


def test_counts_by_agent_and_kind():
    letters = [letter(0, agent="tracker"), letter(1, agent="faulty", kind=HANDLER_FAILED), letter(2)]
    letters.append(letter(3, agent="tracker"))
    assert counts(letters) == {
        ("faulty", HANDLER_FAILED): 1,
        ("market_regulation", UNDECODABLE): 1,
        ("tracker", UNDECODABLE): 2,
    }
