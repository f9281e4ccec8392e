"""An evidence pack verifies offline, and names the first event altered, removed or moved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.cli import main
from streams.replay.audit import PackInvalid, build_pack, read_pack, verify_pack, write_pack
from streams.replay.chain import build_chain
from tests.unit.replay.cases import restaurant_records, schema_texts


def exported(tmp_path: Path, suffix: str = ".jsonl") -> tuple[Path, dict]:
    chain = build_chain("C-REPLAY", restaurant_records())
    pack = build_pack(chain, schema_texts(), exported_at="2026-12-01T08:00:00+00:00")
    path = tmp_path / f"pack{suffix}"
    write_pack(pack, path)
    return path, pack


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_an_untouched_pack_verifies(tmp_path, suffix):
    path, pack = exported(tmp_path, suffix)
    verified = verify_pack(read_pack(path))
    assert verified.events == len(restaurant_records()) and verified.head == pack["trailer"]["head"]


def test_a_pack_names_each_events_schema_and_producer(tmp_path):
    _, pack = exported(tmp_path)
    for entry in pack["entries"]:
        assert entry["schema_fingerprint"] in pack["header"]["schemas"]
        assert entry["producer"]["department"] and entry["producer"]["agent_version"]


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def rewrite(path: Path, new_lines: list[str]) -> None:
    path.write_text("".join(line + "\n" for line in new_lines), encoding="utf-8")


def test_one_byte_changed_names_the_event(tmp_path):
    path, pack = exported(tmp_path)
    content = lines(path)
    target = pack["entries"][3]
    # A digit of the department's answer changes: the event no longer matches its hash.
    entry = content[4]
    at = entry.index(target["event_id"]) + 1
    changed = entry[:at] + ("0" if entry[at] != "0" else "1") + entry[at + 1 :]
    rewrite(path, [*content[:4], changed, *content[5:]])
    with pytest.raises(PackInvalid, match="event #3 .* altered"):
        verify_pack(read_pack(path))


def test_a_changed_payload_even_with_its_hash_recomputed_is_caught(tmp_path):
    path, pack = exported(tmp_path, ".json")
    entry = pack["entries"][2]
    entry["event"]["envelope"]["producer"]["department"] = "someone_else"
    with pytest.raises(PackInvalid, match="event #2 .* altered"):
        verify_pack(pack)


def test_an_event_removed_names_where(tmp_path):
    path, pack = exported(tmp_path)
    content = lines(path)
    rewrite(path, [*content[:3], *content[4:]])  # entry #2 is line 4
    with pytest.raises(PackInvalid, match=f"before event #3 .*{pack['entries'][3]['event_id']}.* removed"):
        verify_pack(read_pack(path))


def test_the_last_event_removed_is_caught(tmp_path):
    path, _ = exported(tmp_path)
    content = lines(path)
    rewrite(path, [*content[:-2], content[-1]])
    with pytest.raises(PackInvalid, match="last event removed"):
        verify_pack(read_pack(path))


def test_two_events_swapped_names_the_first_out_of_place(tmp_path):
    path, pack = exported(tmp_path)
    content = lines(path)
    content[3], content[4] = content[4], content[3]  # entries #2 and #3
    rewrite(path, content)
    with pytest.raises(PackInvalid, match=f"event #3 .*{pack['entries'][3]['event_id']} out of order"):
        verify_pack(read_pack(path))


def test_a_changed_schema_is_caught(tmp_path):
    _, pack = exported(tmp_path, ".json")
    fingerprint = next(iter(pack["header"]["schemas"]))
    pack["header"]["schemas"][fingerprint] = pack["header"]["schemas"][fingerprint].replace("payload", "pay")
    with pytest.raises(PackInvalid, match="schema .* altered"):
        verify_pack(pack)


def test_verify_on_the_command_line_says_why_in_one_line(tmp_path, capsys):
    path, pack = exported(tmp_path)
    assert main(["audit", "verify", str(path)]) == 0
    content = lines(path)
    content[3], content[4] = content[4], content[3]
    rewrite(path, content)
    assert main(["audit", "verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "out of order" in err and "Traceback" not in err


def test_not_a_pack_is_one_line_too(tmp_path, capsys):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"hello": 1}))
    assert main(["audit", "verify", str(path)]) == 1
    assert "not an evidence pack" in capsys.readouterr().err
    assert main(["audit", "verify", str(tmp_path / "absent.json")]) == 2
