"""Extending a department from a package, and refusing what cannot run while the rest runs on."""

from __future__ import annotations

import pytest

from streams import Department, DepartmentExtension, discovery
from streams.cli import main


def by_name(found: discovery.Discovered) -> dict[str, Department]:
    return {d.name: d for d in found.departments}


def test_an_extension_adds_matters_to_the_existing_department(retirement):
    found = discovery.discover()
    assert [d.name for d in found.departments].count("human_resources") == 1
    hr = by_name(found)["human_resources"]
    assert {"retirement_pension", "pension_stop", "employment_registration"} <= {m.name for m in hr.matters}
    assert hr.display_name == "人力资源和社会保障局"
    assert found.refusals == ()
    # The repository's own view leaves the plug-in out.
    own = by_name(found.own())["human_resources"]
    assert "retirement_pension" not in {m.name for m in own.matters}
    assert {f.name for f in found.flows} - {f.name for f in found.own().flows} == {
        "retirement",
        "pension_after_death",
    }


def test_departments_list_shows_one_department_with_the_added_matters(retirement, capsys):
    assert main(["departments", "list", "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count('"name": "human_resources"') == 1 and "retirement_pension" in out


def test_merging_makes_a_new_department_and_refuses_a_matter_twice():
    base = Department("tax", "税务局")
    extension = DepartmentExtension("tax")

    @base.matter("filing", "申报", trigger="A", done="B", sla_working_days=1)
    @extension.matter("filing", "申报", trigger="C", done="D", sla_working_days=1)
    async def handle(event):
        return []

    with pytest.raises(ValueError, match="tax already has matter filing"):
        base.merged(extension)
    assert len(base.matters) == 1


def test_every_broken_plug_in_is_refused_naming_it_and_the_rest_discovered(broken):
    found = discovery.discover()
    reasons = [str(r) for r in found.refusals]
    assert len(reasons) == 5, reasons
    [duplicate] = [r for r in reasons if "human_resources_again" in r]
    # Both packages named: the one refused and the one that declared the department first.
    assert "package onething-broken" in duplicate and "package onething," in duplicate
    assert (
        "agents.human_resources:department" in duplicate
        and "DepartmentExtension('human_resources')" in duplicate
    )
    assert any("missing_module" in r and "ModuleNotFoundError" in r for r in reasons)
    assert any("pension_office" in r and "when retiree > 3" in r and "string field" in r for r in reasons)
    assert any("PensionIndexed has no schema" in r for r in reasons)
    assert any("flow pension_indexation" in r and "has no schema" in r for r in reasons)
    names = by_name(found)
    assert "pension_office" not in names and "pension_index" not in names
    assert "retirement_pension" in {m.name for m in names["human_resources"].matters}
    assert {"retirement", "pension_after_death", "newborn"} <= {f.name for f in found.flows}


def test_an_extension_of_a_department_nobody_declares_is_refused(monkeypatch):
    orphan = DepartmentExtension("space_agency")
    origin = discovery.Origin("acme", "space", "acme:orphan")
    real = discovery.declarations

    def with_orphan(group):
        extra = [(origin, lambda: orphan)] if group == discovery.DEPARTMENTS_GROUP else []
        return real(group) + extra

    monkeypatch.setattr(discovery, "declarations", with_orphan)
    [refusal] = discovery.discover().refusals
    assert str(refusal) == (
        "refused acme:orphan (package acme, entry point space): "
        "extends department space_agency, which is not declared or was refused"
    )


def test_run_starts_everything_but_the_refused(broken, monkeypatch, capsys):
    started = {}
    monkeypatch.setattr("streams.startup.connect", lambda settings: "connection")
    monkeypatch.setattr(
        "streams.runtime.run_worker",
        lambda connection, departments, flow_map, app_id, **options: started.update(
            departments=departments, flows=flow_map
        ),
    )
    assert main(["run", "--demo"]) == 0
    err = capsys.readouterr().err
    assert err.count("running the others without it") == 5
    assert "onething: refused onething_broken.departments:duplicate" in err
    names = [d.name for d in started["departments"]]
    assert names.count("human_resources") == 1 and "pension_office" not in names and len(names) == 30
    assert "retirement" in started["flows"].flows and "pension_indexation" not in started["flows"].flows


def test_graph_check_lists_each_refusal(broken, capsys):
    assert main(["graph", "--check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert sum(line.startswith("refused ") for line in err) == 2  # the other three are flow-map problems
    assert any("when retiree > 3" in line for line in err)
    assert any("PensionIndexed has no schema" in line for line in err)


def test_a_second_flow_of_a_taken_name_is_refused_naming_both(monkeypatch):
    from agents.flows import newborn

    origin = discovery.Origin("acme", "newborn", "acme.flows:newborn")
    real = discovery.declarations

    def with_copy(group):
        extra = [(origin, lambda: newborn.flow)] if group == discovery.FLOWS_GROUP else []
        return real(group) + extra

    monkeypatch.setattr(discovery, "declarations", with_copy)
    [refusal] = discovery.discover().refusals
    assert str(refusal) == (
        "refused acme.flows:newborn (package acme, entry point newborn): flow newborn is already declared by "
        "agents.flows.newborn:flow (package onething, entry point newborn)"
    )
