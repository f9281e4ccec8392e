"""A real Prometheus scrapes a running worker: consumer lag and open cases arrive as series with
values, and the alert rules in deploy/ are valid and loaded."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.integration.conftest import free_port, worker_instead
from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.integration

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "rules.yml"
DASHBOARDS = DEPLOY / "grafana" / "dashboards"
PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
BURST = 150  # applications at once: enough that the agents fall behind for a few samples


def test_the_alert_rules_pass_promtool():
    if PROMTOOL is None:
        pytest.skip("promtool is not installed (Debian's prometheus package; .ci/run installs it)")
    checked = subprocess.run([PROMTOOL, "check", "rules", str(RULES)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_grafana_panel_query_is_valid_promql(tmp_path):
    if PROMTOOL is None:
        pytest.skip("promtool is not installed (Debian's prometheus package; .ci/run installs it)")
    queries = [
        target["expr"]
        for dashboard in sorted(DASHBOARDS.glob("*.json"))
        for panel in json.loads(dashboard.read_text())["panels"]
        for target in panel["targets"]
    ]
    assert len(queries) > 20
    # promtool parses expressions only inside rules: make each query a recording rule.
    rules = {
        "groups": [
            {"name": "grafana", "rules": [{"record": f"q{i}", "expr": q} for i, q in enumerate(queries)]}
        ]
    }
    (tmp_path / "queries.yml").write_text(json.dumps(rules))
    checked = subprocess.run(
        [PROMTOOL, "check", "rules", str(tmp_path / "queries.yml")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture(scope="module")
def sampled_worker(settings, worker):
    """The session worker again, sampling lag twice a second; the usual one comes back after."""
    env = {"ONETHING_LAG_SECONDS": "0.5"}
    with worker_instead(worker, settings, log_name="prometheus-worker.log", env=env) as sampled:
        yield sampled


@pytest.fixture(scope="module")
def prometheus(settings, sampled_worker, tmp_path_factory):
    if PROMETHEUS is None:
        pytest.skip("prometheus is not installed (Debian's prometheus package; .ci/run installs it)")
    home = tmp_path_factory.mktemp("prometheus")
    config = home / "prometheus.yml"
    config.write_text(
        json.dumps(  # JSON is YAML
            {
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "rule_files": [str(RULES)],
                "scrape_configs": [
                    {
                        "job_name": "onething",
                        "static_configs": [{"targets": [f"127.0.0.1:{settings.metrics_port}"]}],
                    }
                ],
            }
        )
    )
    port = free_port()
    process = subprocess.Popen(
        [
            PROMETHEUS,
            f"--config.file={config}",
            f"--storage.tsdb.path={home / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=(home / "prometheus.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: targets_up(url), 60, f"prometheus never scraped the worker; see {home / 'prometheus.log'}"
        )
        yield url
    finally:
        process.terminate()
        process.wait(30)


def wait_for(check, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if result := check():
                return result
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(message)


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def targets_up(url: str) -> bool:
    targets = get(f"{url}/api/v1/targets")["data"]["activeTargets"]
    return any(t["health"] == "up" for t in targets)


def query(url: str, promql: str) -> list[dict]:
    return get(f"{url}/api/v1/query?{urllib.parse.urlencode({'query': promql})}")["data"]["result"]


def test_prometheus_sees_lag_and_open_cases_while_a_burst_is_worked_off(prometheus, desk, event_log):
    applications = [submit(desk, f"指标餐馆{i}", 420.0) for i in range(BURST)]
    outcome(event_log, applications[-1].case_id)

    def nonzero(promql: str) -> list[dict]:
        return [r for r in query(prometheus, promql) if float(r["value"][1]) > 0]

    lag = wait_for(
        lambda: nonzero("max_over_time(onething_consumer_lag[10m])"), 30, "no consumer lag series above 0"
    )
    assert {r["metric"]["group"] for r in lag} == {"onething"}
    assert any(r["metric"]["agent"] == "tracker" for r in lag)
    assert all("worker" in r["metric"] and "partition" in r["metric"] for r in lag)

    open_cases = wait_for(
        lambda: nonzero('max_over_time(onething_cases_open{flow="open_restaurant"}[10m])'),
        30,
        "no open-case series above 0",
    )
    assert open_cases[0]["metric"]["flow"] == "open_restaurant"

    # Every completed case was timed, in working days and in seconds.
    for histogram in ("onething_case_working_days_count", "onething_case_seconds_count"):
        promql = f'sum({histogram}{{flow="open_restaurant"}}) >= {BURST}'
        assert wait_for(lambda q=promql: query(prometheus, q), 30, f"{histogram} below {BURST}")
    [registry] = wait_for(lambda: query(prometheus, "onething_registry_up"), 30, "no registry health series")
    assert registry["value"][1] == "1"


def test_the_alert_rules_are_loaded_and_evaluated(prometheus):
    groups = get(f"{prometheus}/api/v1/rules")["data"]["groups"]
    alerts = {rule["name"] for group in groups for rule in group["rules"] if rule["type"] == "alerting"}
    assert {"OneThingConsumerLagHigh", "OneThingRegistryDown", "OneThingDeadLettersGrowing"} <= alerts
    assert all(rule["health"] != "err" for group in groups for rule in group["rules"])
