"""`onething new-agent`: a department's package that installs, is discovered and passes its own tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.scaffold.package import Names, files
from tests.plugin_env import PluginEnvironment
from tests.unit.commands.running import run


@pytest.mark.parametrize(
    "name", ["Pension", "pension-office", "2pension", "class", "pension__x", "pension_", ""]
)
def test_a_name_that_cannot_be_a_department_gets_one_line(capsys, tmp_path, name):
    code, out, err = run(capsys, "new-agent", name, "--path", str(tmp_path / "new"))
    assert code == 2 and out == ""
    assert err.startswith(f"onething: {name!r} cannot name a department") and err.count("\n") == 1
    assert not (tmp_path / "new").exists()


def test_an_existing_folder_is_never_written_into(capsys, tmp_path):
    (tmp_path / "taken").mkdir()
    code, _, err = run(capsys, "new-agent", "pension", "--path", str(tmp_path / "taken"))
    assert (
        code == 2 and err == f"onething: {tmp_path / 'taken'} already exists; name a new folder with --path\n"
    )
    assert list((tmp_path / "taken").iterdir()) == []


def test_an_installed_department_or_flow_name_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "new-agent", "tax", "--path", str(tmp_path / "tax"))
    assert code == 2 and err == "onething: tax is already a department (税务局); choose another name\n"
    code, _, err = run(capsys, "new-agent", "newborn", "--path", str(tmp_path / "newborn"))
    assert code == 2 and err.startswith("onething: newborn is already a flow (")
    assert not (tmp_path / "tax").exists() and not (tmp_path / "newborn").exists()


def test_the_package_names_follow_the_department():
    laid_out = files(Names("pension_office", "养老保险中心"))
    assert "onething_pension_office/schemas/pension_office/pension_office_approved.v1/1.avsc" in laid_out
    pyproject = laid_out["pyproject.toml"]
    assert 'name = "onething-pension-office"' in pyproject
    assert 'pension_office = "onething_pension_office.department:department"' in pyproject
    assert 'pension_office = "onething_pension_office.flow:flow"' in pyproject
    assert 'pension_office = "onething_pension_office.schemas"' in pyproject
    schema = json.loads(
        laid_out["onething_pension_office/schemas/pension_office/pension_office_approved.v1/1.avsc"]
    )
    assert (schema["namespace"], schema["name"]) == ("gov.pension_office", "PensionOfficeApproved")


def test_scaffolded_installed_discovered_and_its_tests_pass(capsys, tmp_path: Path):
    code, out, _ = run(
        capsys,
        "new-agent",
        "pension",
        "--path",
        str(tmp_path / "onething-pension"),
        "--display-name",
        "养老保险中心",
    )
    assert code == 0 and out.startswith(f"created {tmp_path / 'onething-pension'}: package onething_pension")

    environment = PluginEnvironment(tmp_path / "env")
    installed = environment.sh("pip install -q -e onething-pension", cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr[-3000:]

    tests = environment.sh("pytest -q -p no:cacheprovider", cwd=tmp_path / "onething-pension")
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout.splitlines()[-1] and "failed" not in tests.stdout.splitlines()[-1]

    listed = environment.sh("onething departments list --json", cwd=tmp_path)
    pension = next(d for d in json.loads(listed.stdout) if d["name"] == "pension")
    assert pension["display_name"] == "养老保险中心"
    assert [m["key"] for m in pension["matters"]] == ["pension.approval"]

    checked = environment.sh("onething graph --check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr

    drawn = json.loads(environment.sh("onething graph --format json --flow pension", cwd=tmp_path).stdout)
    [flow] = drawn["flows"]
    assert flow["edges"] == [
        {
            "source": "PensionApplicationSubmitted",
            "target": "pension.approval",
            "event": "PensionApplicationSubmitted",
        }
    ]

    document = json.loads(environment.sh("onething asyncapi", cwd=tmp_path).stdout)
    assert (
        document["channels"]["gov.pension.pension_approved.v1"]["address"]
        == "gov.pension.pension_approved.v1"
    )
    assert document["operations"]["pension.send.PensionApproved"]["action"] == "send"
    assert document["operations"]["pension.receive.PensionApplicationSubmitted"]["action"] == "receive"
