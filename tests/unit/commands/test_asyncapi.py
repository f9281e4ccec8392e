"""`onething asyncapi`: every topic a channel, every operation pointing at a channel and its message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streams.asyncapi import AVRO_SCHEMA_FORMAT, asyncapi_document
from streams.contracts import default_catalog
from tests.unit.commands.declarations import department, matter
from tests.unit.commands.running import run


def resolve(document: dict[str, Any], ref: str) -> Any:
    """Follow a local JSON pointer; KeyError when it points nowhere."""
    assert ref.startswith("#/")
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_topic_is_a_channel_with_its_avro_message(capsys):
    code, out, _ = run(capsys, "asyncapi")
    assert code == 0
    document = json.loads(out)
    assert document["asyncapi"] == "3.0.0"
    catalog = default_catalog()
    assert {c["address"] for c in document["channels"].values()} == {c.topic for c in catalog}
    for contract in catalog:
        [message_ref] = document["channels"][contract.topic]["messages"].values()
        message = resolve(document, message_ref["$ref"])
        assert message["payload"]["schemaFormat"] == AVRO_SCHEMA_FORMAT
        assert message["payload"]["schema"] == contract.schema  # envelope inlined: self-contained


def test_every_operation_references_an_existing_channel_and_one_of_its_messages(capsys):
    _, out, _ = run(capsys, "asyncapi")
    document = json.loads(out)
    assert document["operations"]
    for operation in document["operations"].values():
        assert operation["action"] in ("send", "receive")
        channel = resolve(document, operation["channel"]["$ref"])
        for message_ref in operation["messages"]:
            # AsyncAPI 3: an operation's messages are those of its channel.
            assert message_ref["$ref"].startswith(operation["channel"]["$ref"] + "/messages/")
            assert resolve(document, message_ref["$ref"]) in channel["messages"].values()


def test_who_sends_and_who_receives(capsys):
    _, out, _ = run(capsys, "asyncapi")
    operations = json.loads(out)["operations"]
    licence = "#/channels/gov.market_regulation.business_license_issued.v1"
    senders = {
        o["tags"][0]["name"]
        for o in operations.values()
        if o["channel"]["$ref"] == licence and o["action"] == "send"
    }
    receivers = {
        o["tags"][0]["name"]
        for o in operations.values()
        if o["channel"]["$ref"] == licence and o["action"] == "receive"
    }
    assert senders == {"market_regulation"}
    assert {"fire_rescue", "health", "tracker"} <= receivers
    assert operations["service_center.send.RestaurantApplicationSubmitted"]["action"] == "send"
    assert operations["tracker.send.CaseCompleted"]["action"] == "send"


def test_an_event_without_a_contract_is_left_out_and_named():
    stray = department("stats", "统计局", matter("count", "BusinessLicenseIssued", "LicencesCounted"))
    document, missing = asyncapi_document([stray], [], default_catalog(), version="1")
    assert missing == ["stats sends LicencesCounted, which has no schema"]
    assert "stats.receive.BusinessLicenseIssued" in document["operations"]
    assert not any("LicencesCounted" in key for key in document["operations"])


def test_written_to_a_file(capsys, tmp_path: Path):
    target = tmp_path / "onething.asyncapi.json"
    code, out, err = run(capsys, "asyncapi", "-o", str(target))
    assert code == 0 and out == ""
    document = json.loads(target.read_text(encoding="utf-8"))
    assert (
        err == f"{target}: {len(document['channels'])} channels, {len(document['operations'])} operations\n"
    )
