"""A command that needs a busy port says which one, which setting moves it, and what to do."""

import socket

import pytest

from streams.config import Settings
from streams.metrics import serve
from streams.ports import PortBusy
from streams.preflight import check_demo_can_start


@pytest.fixture
def held_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_the_demo_names_the_busy_port_before_starting_its_worker(held_port):
    with pytest.raises(PortBusy) as refused:
        check_demo_can_start(Settings(metrics_port=0, dashboard_port=held_port))
    message = str(refused.value)
    assert f"port {held_port}" in message and "ONETHING_DASHBOARD_PORT" in message
    assert "onething run" in message  # what is probably holding it


def test_metrics_on_a_busy_port_name_it_and_the_setting(held_port):
    with pytest.raises(PortBusy, match=rf"port {held_port} .*ONETHING_METRICS_PORT"):
        serve(held_port)
