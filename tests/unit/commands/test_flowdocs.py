"""docs/flows/ is written from the declarations, and a test fails when it is out of date."""

from __future__ import annotations

from streams.cli import main
from streams.commands import declared, flowdocs
from streams.commands.declared import Declarations
from streams.config import Settings
from tests.unit.commands.declarations import shop, shop_flow


def test_docs_flows_match_the_declarations():
    # Only this repository's flows are documented here, whatever plug-in is installed.
    pages = flowdocs.render(declared.load(Settings(), own=True))
    stale = flowdocs.differences(flowdocs.default_directory(), pages)
    assert stale == [], f"docs/flows/ is out of date ({'; '.join(stale)}): run `onething docs flows`"


def shop_pages() -> dict[str, str]:
    return flowdocs.render(Declarations(tuple(shop()), (shop_flow(),)))


def test_a_flow_page_draws_the_order_and_tabulates_every_matter():
    page = shop_pages()["open_shop.md"]
    assert page.startswith(flowdocs.MARKER)
    assert "# 开店 (`open_shop`)" in page
    assert "- Lead department: 登记局 (`registry`)" in page
    assert "- Flow SLA: 10 working days" in page
    assert "| 登记局 (lead) | `registry` | 执照, 许可 |" in page
    assert '  application -->|"Applied"| m1' in page
    assert '  m1 -->|"Licensed"| m3' in page
    assert '  m3["检查<br/>消防救援<br/>when area > 300"]' in page
    assert "  class m3 conditional" in page
    assert (
        "| 执照 `registry.licence` | 登记局 | — | `Applied` | `Licensed` | 1 | always | `id_card` |" in page
    )
    assert (
        "| 检查 `fire.check` | 消防救援 | `registry.licence` | `Licensed` | `Checked` | 1 "
        "| `area > 300` | — |" in page
    )
    assert "Source: 某市" in page
    assert "| 跑动次数 (trips) | 4 | 1 |" in page
    assert "表单字段" not in page  # not published for this item


def test_the_index_links_every_flow():
    index = shop_pages()["README.md"]
    assert (
        "| [开店](open_shop.md) | `open_shop` | enterprise | 登记局 | 3 | 10 | 某市: 32 → 5 working days |"
        in index
    )


def test_writing_removes_only_generated_pages_of_flows_that_are_gone(tmp_path):
    (tmp_path / "old_flow.md").write_text(flowdocs.MARKER + "\n# old\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# written by hand\n", encoding="utf-8")
    pages = shop_pages()
    assert flowdocs.differences(tmp_path, pages) == [
        "README.md is missing",
        "open_shop.md is missing",
        "old_flow.md names no flow any more",
    ]
    assert flowdocs.write(tmp_path, pages) == ["old_flow.md", "README.md", "open_shop.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "notes.md", "open_shop.md"]
    assert flowdocs.differences(tmp_path, pages) == []
    assert flowdocs.write(tmp_path, pages) == []


def test_the_command_writes_then_checks(tmp_path, capsys):
    assert main(["docs", "flows", "--check", "--out", str(tmp_path)]) == 1
    assert "README.md is missing; run onething docs flows" in capsys.readouterr().err
    assert main(["docs", "flows", "--out", str(tmp_path)]) == 0
    assert "open_restaurant.md" in capsys.readouterr().out
    assert main(["docs", "flows", "--check", "--out", str(tmp_path)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_a_lead_without_matters_of_its_own_is_still_listed():
    pages = flowdocs.render(Declarations(tuple(shop()), (shop_flow(lead="service_center"),)))
    assert "| service_center (lead) | `service_center` | — |" in pages["open_shop.md"]
