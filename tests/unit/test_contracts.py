import json
import shutil

import pytest

from streams.contracts import ContractError, load_catalog, schemas_dir


def test_topics_are_named_from_the_schema(catalog):
    contract = catalog["BusinessLicenseIssued"]
    assert contract.topic == "gov.market_regulation.business_license_issued.v1"
    assert contract.subject == "gov.market_regulation.business_license_issued.v1-value"
    assert catalog[contract.topic] is contract is catalog["gov.market_regulation.BusinessLicenseIssued"]


def test_every_contract_carries_the_envelope_inline(catalog):
    for contract in catalog:
        envelope = contract.schema["fields"][0]
        assert envelope["name"] == "envelope"
        assert envelope["type"]["name"] == "Envelope"


def test_a_record_that_does_not_match_its_folder_is_refused(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), root)
    path = root / "health" / "medical_records_retrieved.v1" / "1.avsc"
    schema = json.loads(path.read_text())
    schema["name"] = "CertificatesIssued"
    path.write_text(json.dumps(schema))
    with pytest.raises(ContractError, match="does not match folder"):
        load_catalog(root)
