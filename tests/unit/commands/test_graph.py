"""`onething graph`: the flow map as text or Graphviz, and `--check` over the declarations."""

from __future__ import annotations

from streams.commands.flowgraph import flow_graph
from streams.commands.graph import render_text
from streams.flows import Step
from tests.unit.commands.declarations import STEPS, department, matter, shop, shop_flow
from tests.unit.commands.running import run

STRAY = "tests.unit.commands.declarations:stray"


def test_the_declared_flows_pass_the_check(capsys):
    code, out, err = run(capsys, "graph", "--check")
    assert (code, err) == (0, "")
    assert "every matter reachable" in out


def test_a_broken_department_fails_the_check_one_line_per_problem(capsys, monkeypatch):
    monkeypatch.setenv("ONETHING_EXTRA_DEPARTMENTS", STRAY)
    code, out, err = run(capsys, "graph", "--check")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "stats.count emits LicencesCounted, which no department consumes and no flow ends with",
        "stats.count: emitted event LicencesCounted has no schema in schemas/",
    ]


def test_the_map_is_a_tree_from_the_application(capsys):
    code, out, _ = run(capsys, "graph", "--flow", "open_restaurant")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "开办餐饮店 open_restaurant · lead 市场监管局 · SLA 13 working days"
    assert lines[1] == "  RestaurantApplicationSubmitted"
    assert lines[2].startswith("  └─ 营业执照 market_regulation.business_license · 市场监管局 · 1 wd")
    fire = next(line for line in lines if "fire_safety_inspection" in line)
    assert fire.startswith("     ├─ ") or fire.startswith("     └─ ")  # under the licence
    assert "when premises_area_m2 > 300 ⇒ FireSafetyInspectionPassed" in fire


def test_the_map_as_graphviz(capsys):
    code, out, _ = run(capsys, "graph", "--format", "dot", "--flow", "open_restaurant")
    assert code == 0
    assert out.startswith("digraph onething {") and out.rstrip().endswith("}")
    assert (
        '"open_restaurant/market_regulation.business_license" -> '
        '"open_restaurant/health.staff_health_certificates" [label="BusinessLicenseIssued"];'
    ) in out
    assert 'label="户外招牌设置\\n城市管理局\\nwhen signboard_text != \\"\\"", style=dashed' in out


def test_an_unknown_flow_gets_one_line(capsys):
    code, out, err = run(capsys, "graph", "--flow", "open_bakery")
    assert code == 1 and out == ""
    assert err.startswith("onething: unknown flow open_bakery; known: ") and err.count("\n") == 1


def test_drawing_still_works_with_problems_and_says_so(capsys, monkeypatch):
    monkeypatch.setenv("ONETHING_EXTRA_DEPARTMENTS", STRAY)
    code, out, err = run(capsys, "graph")
    assert code == 0 and "开办餐饮店" in out
    assert err == "onething: 2 problems; see onething graph --check\n"


def test_a_join_and_a_disconnected_matter_are_drawn_as_such():
    departments = shop(
        department("bank", "银行", matter("account", "Permitted", "AccountOpened")),
        department("tax", "税务", matter("register", "Taxed", "TaxRegistered")),
    )
    flow = shop_flow(
        steps=(
            *STEPS,
            Step(matter="bank.account", after=("registry.permit", "fire.check")),
            Step(matter="tax.register"),
        )
    )
    lines = render_text(flow_graph(flow, {m.key: m for d in departments for m in d.matters}), str)
    assert lines[2:] == [
        "  └─ 执照 registry.licence · registry · 1 wd ⇒ Licensed",
        "     ├─ 许可 registry.permit · registry · 5 wd ⇒ Permitted",
        "     │  └─ account bank.account · bank · 1 wd ⇒ AccountOpened (also after fire.check)",
        "     └─ 检查 fire.check · fire · 1 wd · when area > 300 ⇒ Checked",
        "  not connected to Applied: tax.register",
    ]
