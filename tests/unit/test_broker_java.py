"""Java detection and the one-line errors of streams.broker, without starting any broker."""

from __future__ import annotations

import os
import socket
import stat
from pathlib import Path

import pytest

from streams.broker import (
    BrokerError,
    LocalBroker,
    broker_command,
    check_java,
    find_java,
    kafka_version,
    parse_java_major,
)
from streams.config import Settings


def fake_java(directory: Path, version_line: str) -> Path:
    """A stand-in `java` that prints version_line on stderr, as a real JVM does."""
    directory.mkdir(parents=True, exist_ok=True)
    java = directory / "java"
    java.write_text(f"#!/bin/sh\necho '{version_line}' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    return java


@pytest.mark.parametrize(
    ("output", "major"),
    [
        ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17),
        ('openjdk version "21" 2023-09-19', 21),
        ('java version "1.8.0_392"\nJava(TM) SE Runtime Environment', 8),
        ('openjdk version "11.0.2" 2019-01-15', 11),
        ('openjdk version "24-ea" 2025-03-18', 24),
        ('Picked up JAVA_TOOL_OPTIONS: -Xss4m\nopenjdk version "17.0.1" 2021-10-19', 17),
    ],
)
def test_parse_java_major(output: str, major: int) -> None:
    assert parse_java_major(output) == major


def test_unparseable_version_says_what_it_saw() -> None:
    with pytest.raises(BrokerError, match="cannot tell the Java version from: 'gibberish'"):
        parse_java_major("gibberish")


def test_old_java_is_refused_with_a_readable_message(tmp_path: Path) -> None:
    java = fake_java(tmp_path, 'openjdk version "11.0.2" 2019-01-15')
    with pytest.raises(BrokerError) as err:
        check_java(str(java))
    assert str(err.value) == (
        f"Java 17 or newer is needed to run Kafka {kafka_version()}; found Java 11 at {java}"
    )


def test_new_enough_java_is_returned(tmp_path: Path) -> None:
    java = fake_java(tmp_path, 'openjdk version "21.0.3" 2024-04-16')
    assert check_java(str(java)) == str(java)


def test_java_home_wins_over_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    java = fake_java(tmp_path / "jdk" / "bin", 'openjdk version "17.0.9" 2023-10-17')
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_java() == str(java)


def test_java_home_without_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path))
    with pytest.raises(BrokerError, match="has no bin/java; fix or unset it"):
        find_java()


def test_no_java_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrokerError, match="^java was not found on PATH; install a JDK 17\\+"):
        find_java()


def test_no_maven(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    broker = LocalBroker(home=tmp_path / "home")
    with pytest.raises(BrokerError, match="^mvn was not found on PATH"):
        broker.install()
    assert not (tmp_path / "home").exists()  # nothing half-made is left behind


def test_version_comes_from_the_pom() -> None:
    pom = Path(__file__).resolve().parents[2] / "deploy" / "kafka" / "pom.xml"
    assert f"<kafka.version>{kafka_version()}</kafka.version>" in pom.read_text()


def test_layout_separates_jar_cache_and_data(tmp_path: Path) -> None:
    broker = LocalBroker(home=tmp_path / "h", port=29555, cache_dir=tmp_path / "c")
    assert broker.libs == tmp_path / "c" / f"kafka-{kafka_version()}" / "libs"
    assert broker.data_dir == tmp_path / "h" / "data-29555"
    assert broker.bootstrap == "127.0.0.1:29555"
    status = broker.status()
    assert (status.running, status.pid, status.version) == (False, None, kafka_version())


def test_stale_pid_file_is_not_a_running_broker(tmp_path: Path) -> None:
    broker = LocalBroker(home=tmp_path)
    broker.data_dir.mkdir(parents=True)
    broker.pid_file.write_text(f"{os.getpid()}\n")  # alive, but not Kafka
    assert broker.status().running is False
    assert broker.stop() is None
    assert not broker.pid_file.exists()


def test_busy_port_is_reported(tmp_path: Path) -> None:
    java = fake_java(tmp_path / "bin", 'openjdk version "17.0.15" 2025-04-15')
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        broker = LocalBroker(home=tmp_path, port=port, controller_port=port + 1, java=str(java))
        message = f"^port {port} is already in use by another process$"
        with pytest.raises(BrokerError, match=message):
            broker.start()


def test_cli_refuses_a_remote_bootstrap(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    settings = Settings(bootstrap_servers="kafka:9092", home=tmp_path)
    assert broker_command("up", settings) == 1
    assert "only runs a local broker" in capsys.readouterr().err


def test_cli_unknown_action(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert broker_command("restart", Settings(home=tmp_path)) == 2
    assert "unknown broker action 'restart'" in capsys.readouterr().err


def test_cli_status_when_stopped(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    settings = Settings(bootstrap_servers="127.0.0.1:29556", home=tmp_path)
    assert broker_command("status", settings) == 1
    line = capsys.readouterr().out
    assert line.startswith(f"Kafka {kafka_version()} not running at 127.0.0.1:29556")
