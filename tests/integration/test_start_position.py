"""A new consumer group starts where the operator says, not at the beginning of history."""

from __future__ import annotations

import time
import uuid

from streams.start_position import parse_start, place_new_group
from tests.faults.ledger import committed, log_ends
from tests.integration.test_restaurant_flow import submit

APPLICATIONS = "gov.service_center.restaurant_application_submitted.v1"


def test_latest_places_a_new_group_at_the_log_end(settings, desk):
    for i in range(3):
        submit(desk, f"历史餐馆{i}", 120.0)
    group = f"onething-new-{uuid.uuid4().hex[:8]}"
    place_new_group(settings.bootstrap_servers, group, [APPLICATIONS], parse_start("latest"))
    assert committed(settings, group, APPLICATIONS) == log_ends(settings, APPLICATIONS)


def test_a_time_places_a_new_group_at_the_first_record_since(settings, desk):
    before = [submit(desk, f"昨天的餐馆{i}", 120.0) for i in range(3)]
    assert before
    time.sleep(1.5)
    since = time.time()
    time.sleep(0.1)
    ends_before = log_ends(settings, APPLICATIONS)
    later = [submit(desk, f"今天的餐馆{i}", 120.0) for i in range(6)]
    group = f"onething-new-{uuid.uuid4().hex[:8]}"
    start = parse_start(
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(since)) + f".{int(since % 1 * 1000):03d}"
    )
    place_new_group(settings.bootstrap_servers, group, [APPLICATIONS], start)
    # Exactly the records published after the time remain to be read.
    placed = committed(settings, group, APPLICATIONS)
    assert placed == ends_before
    assert sum(log_ends(settings, APPLICATIONS)[p] - placed[p] for p in placed) == len(later)


def test_a_group_with_offsets_resumes_where_it_was(settings, desk):
    group = f"onething-new-{uuid.uuid4().hex[:8]}"
    place_new_group(settings.bootstrap_servers, group, [APPLICATIONS], parse_start("latest"))
    first = committed(settings, group, APPLICATIONS)
    submit(desk, "之后的餐馆", 120.0)
    assert place_new_group(settings.bootstrap_servers, group, [APPLICATIONS], parse_start("latest")) is None
    assert committed(settings, group, APPLICATIONS) == first
