"""What `onething deadletters` prints: lines cut to the terminal, counts, a letter in full."""

from __future__ import annotations

from streams.commands.deadletters import cut, hex_dump, list_data, render_list, render_show, size_text
from streams.deadletter import HANDLER_FAILED, UNDECODABLE
from streams.deadletters import Original, Position
from streams.terminal import width
from tests.unit.commands.running import run
from tests.unit.test_deadletters import APPLICATIONS, letter


def test_each_letter_is_one_line_no_wider_than_the_terminal():
    letters = [letter(0), letter(1, kind=HANDLER_FAILED, agent="faulty"), letter(2, truncated=True)]
    lines = render_list(letters, columns=164)

    rows = lines[2:5]
    assert all(width(line) <= 164 for line in rows)
    assert rows[0].split() == [
        "1:0",
        "2026-12-01",
        "12:00:00",
        "market_regulation",
        "undecodable",
        APPLICATIONS,
        "C-1",
        "1.1",
        "MB",
        "magic",
        "byte",
        "is",
        "7,",
        "expected…",
    ]
    assert "1.1 MB ref" in rows[2]  # a reference shows the original's size
    assert "3 dead letters" in lines
    assert lines[-2:] == [
        "faulty             handler-failed        1",
        "market_regulation  undecodable           2",
    ]


def test_a_wide_terminal_shows_the_whole_reason_and_a_narrow_one_some_of_it():
    [_, _, row, *_] = render_list([letter(0)], columns=400)
    assert row.endswith("  magic byte is 7, expected 0")
    [_, _, row, *_] = render_list([letter(0)], columns=40)
    assert row.endswith("  magic byte is 7, expect…")


def test_no_letters_is_said_plainly():
    assert render_list([], columns=80) == ["no dead letters"]


def test_cutting_counts_wide_characters_twice():
    assert cut("营业执照申请", 7) == "营业执…"
    assert cut("short", 10) == "short"


def test_sizes_read_like_sizes():
    assert [size_text(n) for n in (17, 2048, 1_200_000)] == ["17 B", "2.0 kB", "1.1 MB"]


def test_json_lists_letters_counts_and_replays():
    data = list_data([letter(0), letter(1)], {Position(1, 1): {"topic": APPLICATIONS, "offset": 9}})
    first, second = data["letters"]
    assert first["position"] == "1:0" and first["replayed"] is None
    assert first["source"] == {"topic": APPLICATIONS, "partition": 2, "offset": 40}
    assert first["time"] == "2026-12-01T12:00:00+08:00"
    assert second["replayed"] == {"topic": APPLICATIONS, "offset": 9}
    assert data["counts"] == [{"agent": "market_regulation", "kind": UNDECODABLE, "count": 2}]


def test_show_dumps_bytes_that_are_not_an_event():
    shown = letter(0)
    lines = render_show(shown, shown.original(), "magic byte is 7, expected 0")
    assert "  x-dead-letter-kind: undecodable" in lines
    assert "key: C-1" in lines
    assert "not an event (magic byte is 7, expected 0); first 10 of 10 bytes:" in lines
    assert lines[-1] == "00000000  07 20 6e 6f 74 20 61 76 72 6f" + " " * 18 + "  |. not avro|"


def test_show_prints_a_decoded_event_and_a_references_original_headers():
    reference = letter(0, truncated=True)
    original = Original(b"C-1", b"\x00\x00\x00\x00\x01", (("event_type", b"gov.x.Y"),))
    lines = render_show(reference, original, ("gov.x.Y", {"payload": {"name": "阿娘面馆"}}))
    assert f"reference to {APPLICATIONS}[2]@40" in lines[1]
    assert "  event_type: gov.x.Y" in lines
    assert "event: gov.x.Y" in lines
    assert '    "name": "阿娘面馆"' in lines


def test_show_says_when_the_original_is_gone():
    lines = render_show(letter(0, truncated=True), None, "", problem="the original is gone")
    assert lines[-1] == "the original is gone"


def test_hex_dump_stops_at_its_limit():
    assert len(hex_dump(bytes(range(256)) * 4, limit=64)) == 4


def test_wrong_arguments_get_one_line(capsys):
    assert run(capsys, "deadletters", "show", "12") == (
        2,
        "",
        "onething: '12' is not a dead letter's position: PARTITION:OFFSET, e.g. 0:42\n",
    )
    code, out, err = run(capsys, "deadletters", "list", "--kind", "lost")
    assert (code, out) == (2, "")
    assert err.startswith("onething: unknown dead-letter kind 'lost'; kinds: undecodable,")
    code, _, err = run(capsys, "deadletters", "replay", "--since", "soon", "--dry-run")
    assert code == 2 and err == "onething: 'soon' is not an ISO time, e.g. 2026-12-01 or 2026-12-01T09:30\n"
