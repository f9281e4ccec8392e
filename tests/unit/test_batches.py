"""A batch splits into rounds: each key's records in the order read, one per round."""

from __future__ import annotations

from streams.batches import rounds


def test_the_records_of_one_key_go_one_per_round_in_the_order_read() -> None:
    records = [("a", 1), ("b", 1), ("a", 2), ("c", 1), ("a", 3), ("b", 2)]
    assert rounds(records, key=lambda r: r[0]) == [
        [("a", 1), ("b", 1), ("c", 1)],
        [("a", 2), ("b", 2)],
        [("a", 3)],
    ]


def test_records_of_different_keys_share_one_round() -> None:
    records = [(key, 1) for key in "abcdef"]
    assert rounds(records, key=lambda r: r[0]) == [records]


def test_an_empty_batch_has_no_round() -> None:
    assert rounds([], key=lambda r: r) == []
