"""The worker's /metrics endpoint shows what the departments and the tracker did."""

from __future__ import annotations

import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.test_restaurant_flow import outcome, submit

pytestmark = pytest.mark.integration


def scrape(port: int) -> dict[tuple[str, tuple], float]:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_events_cases_and_handler_times_are_exported(settings, desk, event_log):
    before = scrape(settings.metrics_port)
    application = submit(desk, "指标餐馆", 150.0, signboard=None)
    assert outcome(event_log, application.case_id).type == "CaseCompleted"
    after = scrape(settings.metrics_port)

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert (
        grew(
            "onething_events_consumed_total",
            agent="market_regulation",
            event_type="RestaurantApplicationSubmitted",
        )
        >= 1
    )
    assert grew("onething_events_emitted_total", agent="health", event_type="HealthCertificatesIssued") >= 1
    assert grew("onething_cases_total", flow="open_restaurant", outcome="completed") >= 1
    assert grew("onething_handler_seconds_count", agent="market_regulation", matter="business_license") >= 1
