"""A package ships its own contracts (`onething.schemas`), and every command reads them."""

from __future__ import annotations

import shutil

import pytest

from streams.cli import main
from streams.contracts import ContractError, load_catalog, schemas_dir
from tests.plugins import RETIREMENT

PACKAGE_SCHEMAS = RETIREMENT / "onething_retirement" / "schemas"


def test_the_catalog_holds_the_projects_contracts_and_the_packages(retirement):
    assert "RetirementApplicationSubmitted" in retirement and "BusinessLicenseIssued" in retirement
    contract = retirement["DeathRegistered"]
    assert contract.topic == "gov.public_security.death_registered.v1"
    # The project's envelope is inlined, as for its own contracts.
    assert contract.schema["fields"][0]["type"]["name"] == "Envelope"
    assert list(retirement.packages) == ["onething-retirement (onething.schemas entry point 'retirement')"]


def test_schemas_check_checks_the_packages_contracts_too(retirement, capsys):
    assert main(["schemas", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{len(retirement)} contracts") and "onething-retirement" in out


def test_graph_check_finds_the_packages_schemas(retirement, capsys):
    assert main(["graph", "--check"]) == 0, capsys.readouterr().err
    assert "every event has a schema" in capsys.readouterr().out


def test_a_package_may_not_redeclare_a_projects_topic(tmp_path):
    theirs = tmp_path / "theirs"
    shutil.copytree(schemas_dir() / "health", theirs / "health")
    with pytest.raises(ContractError, match="already declared by .*schemas/health"):
        load_catalog(packages={"acme": theirs})
    # The platform runs on without them, saying why.
    catalog = load_catalog(packages={"acme": theirs}, strict=False)
    assert "acme" in catalog.refused and catalog.packages == {}
    assert "BusinessLicenseIssued" in catalog


def test_a_broken_package_schema_is_named(tmp_path, capsys):
    broken = tmp_path / "broken" / "service_center" / "oops_submitted.v1"
    broken.mkdir(parents=True)
    (broken / "1.avsc").write_text("{not json", encoding="utf-8")
    problems = load_catalog(packages={"acme": tmp_path / "broken"}, strict=False).refused["acme"]
    assert "oops_submitted.v1/1.avsc: not valid JSON" in problems


def test_a_package_folder_is_read_only_when_asked(tmp_path):
    project_only = load_catalog(schemas_dir())
    with_package = load_catalog(packages={"retirement": PACKAGE_SCHEMAS})
    assert len(with_package) == len(project_only) + 4
