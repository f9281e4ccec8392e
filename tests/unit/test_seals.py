"""电子印章: certificates leave sealed by their department; anyone verifies them offline, and a changed
byte or another key fails with one line saying why."""

from __future__ import annotations

import json

import pytest

from agents.flows import newborn, restaurant
from streams.cli import main
from streams.seals import Keyring, SealError, generate, sealed_document, verify
from tests.unit.platform import apply

DEMO_KEYS = Keyring().public_keys(["market_regulation", "health", "urban_management", "fire_rescue"])


async def licence_document() -> dict:
    case = await apply(restaurant)
    licence = case.one("BusinessLicenseIssued")
    return sealed_document(licence.type, licence.envelope, licence.payload)


async def test_a_licence_is_sealed_by_its_department_and_verifies():
    document = await licence_document()
    assert document["seal"]["department"] == "market_regulation"
    assert document["certificate"]["content"]["business_name"] == "阿娘面馆"
    verified = verify(document, DEMO_KEYS)
    assert verified.department == "market_regulation" and verified.demo


async def test_every_certificate_of_a_case_is_sealed():
    case = await apply(restaurant, premises_area_m2=420.0, signboard_text="阿娘面馆")
    sealed = {e.type for e in case.events if e.payload.get("seal")}
    assert sealed == {
        "BusinessLicenseIssued",
        "FoodBusinessPermitIssued",
        "SignboardApproved",
        "FireSafetyInspectionPassed",
        "HealthCertificatesIssued",
    }
    birth = (await apply(newborn)).one("BirthCertificateIssued")
    assert verify(
        sealed_document(birth.type, birth.envelope, birth.payload), Keyring().public_keys(["health"])
    )


async def test_a_changed_certificate_fails():
    document = await licence_document()
    document["certificate"]["content"]["premises_area_m2"] = 1200.0
    with pytest.raises(SealError, match="does not match"):
        verify(document, DEMO_KEYS)


async def test_another_departments_key_or_keyset_fails(tmp_path):
    document = await licence_document()
    other = Keyring(generate(tmp_path, ["market_regulation"]).parent).public_keys(["market_regulation"])
    with pytest.raises(SealError, match="published key is"):
        verify(document, other)
    # A forged key file naming the right key id with another key still fails on the signature.
    other["departments"]["market_regulation"]["key_id"] = document["seal"]["key_id"]
    with pytest.raises(SealError, match="does not match"):
        verify(document, other)
    document["seal"]["department"] = "health"
    with pytest.raises(SealError, match="names market_regulation as issuer"):
        verify(document, DEMO_KEYS)


async def test_seal_verify_reads_a_file_and_fails_on_a_changed_byte(tmp_path, capsys):
    path = tmp_path / "licence.json"
    path.write_text(json.dumps(await licence_document(), ensure_ascii=False, indent=2), encoding="utf-8")
    assert main(["seal", "verify", str(path)]) == 0
    assert "sealed by market_regulation" in capsys.readouterr().out

    raw = path.read_bytes()
    at = raw.index("阿娘".encode())
    path.write_bytes(raw[:at] + bytes([raw[at] ^ 1]) + raw[at + 1 :])  # one flipped bit
    assert main(["seal", "verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("onething: seal verify:")


def test_generated_keys_are_kept_not_overwritten(tmp_path):
    published = generate(tmp_path, ["health"])
    first = json.loads(published.read_text())
    generate(tmp_path, ["health", "tax"])
    again = json.loads(published.read_text())
    assert again["departments"]["health"] == first["departments"]["health"] and "tax" in again["departments"]
    assert first["demo"] is False
