"""The operators' dashboard in a real headless Chromium: every page loads with data from the log,
a case reaches its timeline and an issue its history by clicking, and pages update themselves."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from agents.bundles.restaurant_outlet import bundle, form
from streams import discovery
from streams.bundle_intake import submit_bundle
from streams.issues import model as m
from streams.issues import simulate_issues
from tests.integration.conftest import free_port, worker_env
from tests.integration.faulty import CRASH
from tests.integration.test_restaurant_flow import outcome, submit
from tests.integration.test_service_modes import submit_assisted_and_handed_over

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {  # route → (a heading the page shows, a selector that only matches rows of data)
    "#/": ("各流程办件状态", "a.case-link"),
    "#/departments": ("超期清单", "#page table tbody tr td:has-text('市场监管局')"),
    "#/flows/open_restaurant": ("流程图", "#page table tbody tr td:has-text('BusinessLicenseIssued')"),
    "#/issues": ("企业诉求看板", "a.issue-link"),
    "#/dead-letters": ("死信", "#page td:has-text('inspection backend returned 500')"),
    "#/report": ("改革前后对比", "#page td:has-text('材料')"),
}


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except OSError:
        return None


def wait_until(check, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.5)
    return None


@pytest.fixture(scope="module")
def dashboard(settings, worker):
    url = f"http://127.0.0.1:{settings.dashboard_port}"
    assert wait_until(lambda: get_json(f"{url}/healthz")), f"no dashboard at {url}"
    return url


@pytest.fixture(scope="module")
def platform_data(connection, desk, event_log, dashboard):
    """A completed, a rejected and a dead-lettered restaurant case, a few enterprise issues, a
    一类事 request, and a birth registered by a helper and one received in another city."""
    completed = submit(desk, "看板面馆", 120.0, signboard=None)
    rejected = submit(desk, "看板小吃", 60.0, materials=["business_premises_proof"])
    crashed = submit(desk, CRASH, 90.0, signboard=None)
    outlet = submit_bundle(desk, bundle, discovery.flows(), form(channel="MOBILE"))
    _, assisted, _, elsewhere = submit_assisted_and_handed_over(desk, "33021219850417002X")
    for case in (completed, rejected, crashed, assisted, elsewhere):
        outcome(event_log, case.case_id)
    assert event_log.wait_for(outlet.case_id, "BundleCompleted", 120), "the bundle never completed"
    issues = simulate_issues(connection, count=3, seed=5)
    for issue in issues:
        assert event_log.wait_until(
            lambda i=issue: any(e.type == m.ASSIGNED for e in event_log.events(i)), 90
        )
    # The dashboard reads the same log on its own: wait until it has read these too.
    for path in [f"cases/{completed.case_id}", f"cases/{rejected.case_id}", *(f"issues/{i}" for i in issues)]:
        assert wait_until(lambda p=path: get_json(f"{dashboard}/api/{p}")), f"the dashboard never saw {path}"
    for path in [f"cases/{outlet.case_id}", f"cases/{elsewhere.case_id}"]:
        assert wait_until(lambda p=path: get_json(f"{dashboard}/api/{p}")), f"the dashboard never saw {path}"
    return {"completed": completed.case_id, "rejected": rejected.case_id, "issues": issues}


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian's chromium package; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, dashboard):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.goto(dashboard + "/")
    yield tab
    context.close()


def loaded(page, name: str, timeout: float = 30_000) -> None:
    page.wait_for_selector(f'#page[data-loaded="true"][data-page="{name}"]', timeout=timeout)


def shoot(page, tmp_path, name: str) -> None:
    path = tmp_path / f"dashboard-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_every_page_loads_with_data_and_charts_from_the_local_echarts(
    page, platform_data, dashboard, tmp_path
):
    for route, (heading, data) in PAGES.items():
        page.goto(f"{dashboard}/{route}")
        name = route.split("/")[1] or "overview"
        loaded(page, name)
        page.wait_for_selector(f"text={heading}")
        assert page.locator(data).count() >= 1, f"{route}: no data ({data})"
        assert page.locator("#page canvas").count() >= 1, f"{route}: no chart drawn"
        shoot(page, tmp_path, name)
    assert page.evaluate("typeof echarts.init") == "function"
    # Everything came from the dashboard itself: the page needs no internet.
    assert {urlparse(u).netloc for u in page.requests} == {urlparse(dashboard).netloc}


def cells(page, selector: str) -> dict[str, list[str]]:
    """A table's rows by their first cell."""
    rows = page.eval_on_selector_all(
        f"{selector} tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )
    return {row[0]: row[1:] for row in rows}


def test_the_report_page_shows_the_service_measures_with_numbers_from_the_cases(
    page, platform_data, dashboard, tmp_path
):
    page.goto(f"{dashboard}/#/report")
    loaded(page, "report")
    page.wait_for_selector("text=服务方式（各流程）")
    headers = page.eval_on_selector_all("#service-flows th", "cells => cells.map(c => c.innerText.trim())")
    assert headers[:5] == ["流程", "办件", "秒办率", "按时率", "一网通办率"]
    assert {"掌上办", "网上办", "窗口", "帮代办", "跨域办", "15分钟办事圈"} <= set(headers)
    flows = cells(page, "#service-flows")
    restaurant, births = flows["开办餐饮店"], flows["新生儿出生"]
    column = {name: i - 1 for i, name in enumerate(headers)}
    assert int(restaurant[column["办件"]]) >= 3
    assert restaurant[column["按时率"]].endswith("%") and restaurant[column["15分钟办事圈"]].endswith("%")
    assert restaurant[column["一网通办率"]].endswith(("✓", "✗"))  # against the 85 % target
    assert int(births[column["帮代办"]]) >= 1 and int(births[column["跨域办"]]) >= 1
    assert int(births[column["就近办"]]) >= 1
    assert any(row[column["秒办率"]].endswith("%") for row in flows.values())
    cards = page.inner_text("#service-cards")
    assert "目标 ≥ 85.0%" in cards and "一类事申请" in cards
    [requested, granted, refused, still_open] = cells(page, "#service-bundles")["开一家连锁餐饮门店"][1:]
    assert int(requested) >= 1 and int(granted) + int(refused) >= 1
    assert "%" in page.inner_text("#service-coverage")
    for chart_id in ("c-channels", "c-online"):
        assert page.locator(f"#{chart_id} canvas").count() == 1, f"no chart in #{chart_id}"
    shoot(page, tmp_path, "report-service")


def test_clicking_a_case_reaches_its_timeline(page, platform_data, tmp_path):
    case_id = platform_data["completed"]
    loaded(page, "overview")
    page.click(f'a.case-link:text-is("{case_id}")')
    loaded(page, "case")
    assert case_id in page.inner_text("#case-title")
    timeline = page.inner_text("#page")
    assert "市场监管局" in timeline  # who held it, by display name
    assert "BusinessLicenseIssued" in timeline and "CaseCompleted" in timeline
    shoot(page, tmp_path, "case")


def test_clicking_an_issue_reaches_its_history(page, platform_data, dashboard, tmp_path):
    issue_id = platform_data["issues"][0]
    page.goto(f"{dashboard}/#/issues")
    loaded(page, "issues")
    page.click(f'a.issue-link:text-is("{issue_id}")')
    loaded(page, "issue")
    assert issue_id in page.inner_text("#issue-title")
    history = page.inner_text("#page")
    assert "提出诉求" in history and "受理" in history and "分派" in history
    shoot(page, tmp_path, "issue")


def test_a_new_case_appears_without_reloading_and_english_is_one_click_away(
    page, platform_data, desk, event_log
):
    loaded(page, "overview")
    page.evaluate("window.notReloaded = true")
    newcomer = submit(desk, "实时刷新餐馆", 100.0, signboard=None)
    page.wait_for_selector(f'a.case-link:text-is("{newcomer.case_id}")', timeout=60_000)
    assert page.evaluate("window.notReloaded") is True

    page.click("#lang")
    page.wait_for_selector("text=Cases per flow and state")
    assert page.inner_text("#nav").split()[0] == "Overview"


def test_run_on_a_busy_dashboard_port_names_the_port_and_the_way_out(settings, worker):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy = holder.getsockname()[1]
        env = {
            **worker_env(settings),
            "ONETHING_DASHBOARD_PORT": str(busy),
            "ONETHING_METRICS_PORT": str(free_port()),
        }
        run = subprocess.run(
            [sys.executable, "-m", "streams.cli", "run", "--app-id", "onething-busy-port"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert run.returncode != 0
    assert f"port {busy}" in run.stderr and "ONETHING_DASHBOARD_PORT" in run.stderr, run.stderr[-2000:]


@contextlib.contextmanager
def standalone_dashboard(settings, **env: str) -> Iterator[str]:
    """`onething dashboard` on a port of its own beside the session's worker; yields its address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "dashboard", "--port", str(port)],
        env={**os.environ, **worker_env(settings), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


def test_onething_dashboard_serves_the_same_pages_beside_running_workers(settings, platform_data):
    with standalone_dashboard(settings) as url:
        case = wait_until(lambda: get_json(f"{url}/api/cases/{platform_data['completed']}"))
        assert case and case["case"]["state"] == "completed"
        assert get_json(f"{url}/healthz")["status"] == "ok"


def test_a_dashboard_holding_two_closed_cases_counts_all_open_work_and_reads_older_ones_back(
    settings, platform_data, dashboard, browser
):
    """ONETHING_DASHBOARD_CLOSED_CASES bounds what a dashboard holds: open work all of it, closed
    cases and issues only the latest; a case let go still opens, read back from the log."""
    with standalone_dashboard(settings, ONETHING_DASHBOARD_CLOSED_CASES="2") as small:

        def both_at_one_point():  # the two dashboards folded the same log, up to the same event
            full, kept = get_json(f"{dashboard}/api/overview"), get_json(f"{small}/api/overview")
            point = ("events", "dead_letters")
            if full and kept and all(full[k] == kept[k] for k in point):
                return full, kept
            return None

        pair = wait_until(both_at_one_point, 120)
        assert pair, "the two dashboards never read the log to the same point"
        full, kept = pair
        assert kept["window"]["closed_limit"] == 2 and kept["window"]["let_go"] > 0
        assert kept["window"]["held_events"] < kept["events"] == full["events"]
        assert full["window"]["let_go"] == 0
        assert kept["totals"]["completed"] + kept["totals"]["rejected"] <= 2
        for state in ("open", "overdue"):
            assert kept["totals"][state] == full["totals"][state]
        assert kept["issues"] == full["issues"]  # open and overdue issues, every one

        kept_ids = {c["case_id"] for c in kept["cases"]}
        let_go = [
            c["case_id"] for c in full["cases"] if c["state"] == "completed" and c["case_id"] not in kept_ids
        ]
        assert let_go, "every completed case is still held"
        read_back = get_json(f"{small}/api/cases/{let_go[0]}")
        original = get_json(f"{dashboard}/api/cases/{let_go[0]}")
        assert read_back and read_back["case"]["state"] == "completed"
        # Events at the same millisecond may come in either order: the same events, each once.
        assert sorted(e["type"] for e in read_back["events"]) == sorted(e["type"] for e in original["events"])
        assert read_back["holdings"] == original["holdings"]

        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        try:
            tab = context.new_page()
            tab.goto(small + "/")
            loaded(tab, "overview")
            note = tab.inner_text(".window-note")
            assert "最近 2 件已办结" in note and str(kept["window"]["let_go"]) in note
        finally:
            context.close()
