"""Consumer lag per agent and partition, from committed and end offsets."""

from streams.lag import lag_by_agent
from streams.operations import worker_name


def test_an_agent_lags_by_what_its_topics_hold_beyond_the_committed_offsets():
    agents = {"tax": ["licences", "changes"], "health": ["licences"]}
    committed = {("licences", 0): 7, ("changes", 0): 2}
    ends = {("licences", 0): 10, ("licences", 1): 4, ("changes", 0): 2}
    lag = lag_by_agent(agents, committed, ends)
    assert lag[("tax", 0)] == 3  # 3 behind on licences, none on changes
    assert lag[("tax", 1)] == 4  # never committed: everything is behind
    assert lag[("health", 0)] == 3


def test_workers_sharing_a_group_report_only_their_own_partitions():
    lag = lag_by_agent(
        {"tax": ["licences"]}, {}, {("licences", 0): 5, ("licences", 1): 6}, assigned={("licences", 1)}
    )
    assert lag == {("tax", 1): 6}


def test_each_worker_on_a_host_has_its_own_name():
    assert worker_name("gov-1", 9464, 123) != worker_name("gov-1", 9465, 456)
    assert worker_name("gov-1", 9464, 123) == worker_name("gov-1", 9464, 999)  # stable across restarts
