"""A real single-node Apache Kafka (KRaft) on loopback, run from Maven jars, without Docker.

Layout (``home`` defaults to ``Settings.broker_dir``)::

    home/kafka-<version>/libs/     jars, shared by every data dir (``cache_dir`` overrides home)
    home/data-<port>/              one broker: server.properties, log4j2.properties,
                                   log/ (topics + KRaft metadata), broker.log, broker.pid
"""

from __future__ import annotations

import base64
import contextlib
import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.config import Settings
from streams.registry.service import RegistryProcess

POM = Path(__file__).resolve().parent.parent / "deploy" / "kafka" / "pom.xml"
MIN_JAVA = 17


class BrokerError(Exception):
    """Something a person has to fix before the broker can run; the message says what."""


@functools.cache
def kafka_version(pom: Path = POM) -> str:
    """The Kafka version pinned in deploy/kafka/pom.xml (the single source of it)."""
    try:
        root = ET.parse(pom).getroot()
    except (OSError, ET.ParseError) as exc:
        raise BrokerError(f"cannot read the Kafka version from {pom}: {exc}") from exc
    version = root.findtext(
        "{http://maven.apache.org/POM/4.0.0}properties/{http://maven.apache.org/POM/4.0.0}kafka.version"
    )
    if not version:
        raise BrokerError(f"{pom} has no <kafka.version> property")
    return version.strip()


# --- Java ------------------------------------------------------------------------------------


def parse_java_major(version_output: str) -> int:
    """Major version from `java -version` output: '1.8.0_392' -> 8, '17.0.15' -> 17, '21' -> 21."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?[^"]*"', version_output)
    if not match:
        raise BrokerError(f"cannot tell the Java version from: {version_output.strip()[:200]!r}")
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find_java(java: str | None = None) -> str:
    """The java binary to use: the explicit one, else $JAVA_HOME/bin/java, else java on PATH."""
    if java:
        return java
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if not candidate.is_file():
            raise BrokerError(f"JAVA_HOME is {java_home} but it has no bin/java; fix or unset it")
        return str(candidate)
    found = shutil.which("java")
    if not found:
        raise BrokerError("java was not found on PATH; install a JDK 17+ or set JAVA_HOME")
    return found


def check_java(java: str | None = None, *, version: str | None = None) -> str:
    """Return the java binary after making sure it is new enough for Kafka 4 (Java 17+)."""
    binary = find_java(java)
    try:
        out = subprocess.run([binary, "-version"], capture_output=True, text=True, timeout=30)
    except OSError as exc:
        raise BrokerError(f"cannot run {binary}: {exc.strerror or exc}") from exc
    except subprocess.TimeoutExpired as exc:
        raise BrokerError(f"{binary} -version did not answer within 30 s") from exc
    # The JVM prints its version on stderr; stdout is checked too for odd vendors.
    major = parse_java_major(out.stderr + out.stdout)
    if major < MIN_JAVA:
        raise BrokerError(
            f"Java {MIN_JAVA} or newer is needed to run Kafka "
            f"{version or kafka_version()}; found Java {major} at {binary}"
        )
    return binary


# --- helpers ---------------------------------------------------------------------------------


def _port_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:port (a bind test also sees half-started servers)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # ignore TIME_WAIT leftovers
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _tcp_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def kafka_answers(bootstrap: str, **client_options: Any) -> bool:
    """True once the broker serves metadata: the TCP port opens a little before that.

    ``client_options`` are the security options of streams.security.kafka_options.
    """
    from kafka import KafkaAdminClient  # imported late: only the probe needs the client

    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            client_id="onething-broker-probe",
            bootstrap_timeout_ms=3000,
            request_timeout_ms=3000,
            **client_options,
        )
    except Exception:  # any failure just means "not yet"
        return False
    try:
        admin.list_topics()
        return True
    except Exception:
        return False
    finally:
        admin.close()


def _cluster_id() -> str:
    """A Kafka Uuid (url-safe base64 of 16 random bytes), as `StorageTool random-uuid` prints.

    Made here to save a JVM start; Kafka also never hands out ids that begin with '-'.
    """
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cid.startswith("-"):
            return cid


def _pretty(path: Path) -> str:
    """Path with the home directory shown as ~, for one-line messages."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def _tail(path: Path, since: int = 0, lines: int = 20) -> str:
    try:
        with path.open("rb") as fh:
            fh.seek(since)
            text = fh.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    data_dir: Path
    version: str


class LocalBroker:
    """One Kafka process in combined broker+controller mode, listening on 127.0.0.1 only."""

    def __init__(
        self,
        *,
        home: Path,
        port: int = 19092,
        controller_port: int = 19093,
        java: str | None = None,
        cache_dir: Path | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self.version = kafka_version()
        self.port = port
        self.controller_port = controller_port
        self.java = java
        # Absolute paths: Kafka runs with the data dir as cwd and the pid check compares args.
        self.home = Path(home).expanduser().absolute()
        # The jar cache and the data dir can live apart, so tests share jars but not data.
        self.install_dir = Path(cache_dir or self.home).expanduser().absolute()
        self.install_dir /= f"kafka-{self.version}"
        self.libs = self.install_dir / "libs"
        self.data_dir = Path(data_dir or self.home / f"data-{port}").expanduser().absolute()
        self.log_dir = self.data_dir / "log"
        self.properties = self.data_dir / "server.properties"
        self.log4j = self.data_dir / "log4j2.properties"
        self.broker_log = self.data_dir / "broker.log"
        self.pid_file = self.data_dir / "broker.pid"
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    # --- variants (streams/secure_broker.py) ---------------------------------------------

    def extra_properties(self) -> str:
        """server.properties lines appended after ours."""
        return ""

    def format_args(self) -> list[str]:
        """Extra arguments to `kafka-storage format`, e.g. SCRAM credentials."""
        return []

    def client_options(self) -> dict[str, Any]:
        """kafka-python security options that reach this broker as its administrator."""
        return {}

    # --- install & format ----------------------------------------------------------------

    def installed(self) -> bool:
        # The libs dir only appears by an atomic rename of a finished download.
        return (self.libs / f"kafka_2.13-{self.version}.jar").is_file()

    def install(self) -> Path:
        """Fetch the Kafka jars with Maven into the cache, once. Returns the libs dir."""
        if self.installed():
            return self.libs
        mvn = shutil.which("mvn")
        if not mvn:
            raise BrokerError(
                "mvn was not found on PATH; install Maven 3.6+ (it downloads the Kafka jars once)"
            )
        self.install_dir.parent.mkdir(parents=True, exist_ok=True)
        # Download beside the cache and rename into place: a killed run leaves no half cache.
        tmp = Path(tempfile.mkdtemp(prefix=f".kafka-{self.version}-", dir=self.install_dir.parent))
        try:
            pom = tmp / "pom.xml"
            shutil.copyfile(POM, pom)  # Maven runs on a copy so it never writes into the repo
            cmd = [
                mvn,
                "-q",
                "-B",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={tmp / 'libs'}",
                "-DincludeScope=runtime",
            ]
            done = subprocess.run(cmd, capture_output=True, text=True)
            if done.returncode != 0:
                last = (done.stdout + done.stderr).strip().splitlines()[-1:] or ["no output"]
                raise BrokerError(f"mvn could not fetch the Kafka {self.version} jars: {last[0]}")
            try:
                tmp.rename(self.install_dir)
            except OSError:
                if not self.installed():  # a concurrent install that won the race is fine
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return self.libs

    def _write_config(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.properties.write_text(
            "# Written by streams/broker.py on every start; edits here are overwritten.\n"
            "process.roles=broker,controller\n"
            "node.id=1\n"
            f"controller.quorum.voters=1@127.0.0.1:{self.controller_port}\n"
            f"listeners=PLAINTEXT://127.0.0.1:{self.port},"
            f"CONTROLLER://127.0.0.1:{self.controller_port}\n"
            f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}\n"
            "controller.listener.names=CONTROLLER\n"
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT\n"
            f"log.dirs={self.log_dir}\n"
            # A single node can only replicate once.
            "offsets.topic.replication.factor=1\n"
            "transaction.state.log.replication.factor=1\n"
            "transaction.state.log.min.isr=1\n"
            "share.coordinator.state.topic.replication.factor=1\n"
            "share.coordinator.state.topic.min.isr=1\n"
            # Topics are provisioned explicitly; a typo must fail, not invent a topic.
            "auto.create.topics.enable=false\n"
            # Nobody else will join: do not make the first consumer group wait 3 s.
            "group.initial.rebalance.delay.ms=0\n"
            # Later keys win in a properties file: a variant overrides listeners and adds security.
            f"{self.extra_properties()}"
        )
        self.log4j.write_text(
            "# Kafka's own log goes to broker.log, not to the terminal.\n"
            "status = warn\n"
            "appender.file.type = File\n"
            "appender.file.name = FILE\n"
            f"appender.file.fileName = {self.broker_log}\n"
            "appender.file.append = true\n"
            "appender.file.layout.type = PatternLayout\n"
            "appender.file.layout.pattern = [%d] %p %m (%c)%n\n"
            "rootLogger.level = INFO\n"
            "rootLogger.appenderRef.file.ref = FILE\n"
            "logger.kafka.name = kafka\n"
            "logger.kafka.level = INFO\n"
            "logger.apache.name = org.apache.kafka\n"
            "logger.apache.level = INFO\n"
            # Per-request, per-partition and config dumps drown the useful lines.
            "logger.request.name = kafka.request.logger\n"
            "logger.request.level = WARN\n"
            "logger.state.name = state.change.logger\n"
            "logger.state.level = WARN\n"
            "logger.config.name = org.apache.kafka.common.config.AbstractConfig\n"
            "logger.config.level = WARN\n"
            "logger.appinfo.name = org.apache.kafka.common.utils.AppInfoParser\n"
            "logger.appinfo.level = WARN\n"
        )

    def _java_cmd(self, java: str, main: str, *args: str) -> list[str]:
        return [
            java,
            "-Xmx512m",
            "-Djava.awt.headless=true",
            "-XX:+ExitOnOutOfMemoryError",
            f"-Dlog4j2.configurationFile={self.log4j}",
            # Log4j must not close the log before Kafka has logged its own shutdown.
            "-Dlog4j2.shutdownHookEnabled=false",
            "-cp",
            str(self.libs / "*"),
            main,
            *args,
        ]

    def format_once(self, java: str | None = None) -> bool:
        """Format the log dir with a new cluster id, unless it already holds one.

        Returns True if it formatted. Never reformats: that would orphan every stored event.
        """
        if (self.log_dir / "meta.properties").is_file():
            return False
        java = java or check_java(self.java, version=self.version)
        self.install()
        self._write_config()
        cmd = self._java_cmd(
            java,
            "kafka.tools.StorageTool",
            "format",
            "-t",
            _cluster_id(),
            "-c",
            str(self.properties),
            *self.format_args(),
        )
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise BrokerError(f"formatting {_pretty(self.log_dir)} failed: {detail[0]}")
        return True

    # --- process ---------------------------------------------------------------------------

    def _pid(self) -> int | None:
        """The pid of our running broker, or None (a stale pid file does not count)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if self._alive(pid) else None

    def _alive(self, pid: int) -> bool:
        if self._proc is not None and self._proc.pid == pid:
            return self._proc.poll() is None  # our child: poll() also reaps the zombie
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        # Where /proc exists, make sure the pid was not reused by an unrelated process.
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists():
            try:
                args = cmdline.read_bytes().split(b"\0")
            except OSError:
                return False
            return b"kafka.Kafka" in args and str(self.properties).encode() in args
        return True

    def start(self, timeout: float = 60) -> bool:
        """Start the broker and wait until it answers. False if it was already running."""
        if self._pid() is not None:
            return False
        java = check_java(self.java, version=self.version)
        for port in (self.port, self.controller_port):
            if not _port_free(port):
                raise BrokerError(f"port {port} is already in use by another process")
        self.install()
        self.format_once(java)
        self._write_config()
        self.broker_log.touch()
        offset = self.broker_log.stat().st_size
        with self.broker_log.open("ab") as out:  # JVM crashes print to stderr, keep them too
            self._proc = subprocess.Popen(
                self._java_cmd(java, "kafka.Kafka", str(self.properties)),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                cwd=self.data_dir,
                start_new_session=True,  # outlives the CLI and ignores its Ctrl-C
            )
        self.pid_file.write_text(f"{self._proc.pid}\n")

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise BrokerError(
                    f"Kafka exited with code {self._proc.returncode} while "
                    f"starting; last lines of {self.broker_log}:\n" + _tail(self.broker_log, offset)
                )
            if _tcp_open(self.port) and kafka_answers(self.bootstrap, **self.client_options()):
                return True
            time.sleep(0.25)
        self.stop()
        raise BrokerError(
            f"Kafka did not answer at {self.bootstrap} within {timeout:.0f} s; see {self.broker_log}"
        )

    def stop(self, timeout: float = 30) -> int | None:
        """Stop the broker, gently first. Returns the pid it stopped, or None if none ran."""
        pid = self._pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return None
        # SIGTERM lets Kafka shut down in a controlled way and flush its logs.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while self._alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if self._alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            while self._alive(pid):
                time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)
        return pid

    def status(self) -> BrokerStatus:
        pid = self._pid()
        return BrokerStatus(
            running=pid is not None,
            pid=pid,
            bootstrap=self.bootstrap,
            data_dir=self.data_dir,
            version=self.version,
        )

    def wipe(self) -> None:
        """Stop the broker and delete its data dir (every event in it); the jar cache stays."""
        self.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)


# --- CLI -------------------------------------------------------------------------------------


def _local_port(bootstrap: str) -> int:
    """The port of a loopback bootstrap address; other hosts are not ours to run."""
    host, _, port = bootstrap.split(",")[0].strip().rpartition(":")
    if host not in ("127.0.0.1", "localhost") or not port.isdigit():
        raise BrokerError(
            f"ONETHING_BOOTSTRAP is {bootstrap}; `onething broker` only runs a local broker at 127.0.0.1:PORT"
        )
    return int(port)


def broker_for(settings: Settings) -> LocalBroker:
    """The broker that settings.bootstrap_servers points at; the controller takes PORT+1."""
    port = _local_port(settings.bootstrap_servers)
    return LocalBroker(home=settings.broker_dir, port=port, controller_port=port + 1)


def _registry_up(settings: Settings) -> None:
    """The platform's schema registry lives as long as the broker it stores its schemas in."""
    if settings.registry_url:
        return  # a registry of the deployment's own
    registry = RegistryProcess(settings)
    state = "running" if registry.start() else "already running"
    log = _pretty(registry.log_path)
    print(f"schema registry {state} at {registry.url} (pid {registry.pid()}, log {log})")


def _registry_down(settings: Settings) -> None:
    if settings.registry_url:
        return
    registry = RegistryProcess(settings)
    pid = registry.stop()
    print(f"schema registry {'stopped' if pid else 'was not running'} at {registry.url}")


def broker_command(action: str, settings: Settings) -> int:
    """`onething broker up|down|status|install`: one line per action, exit code 0 when fine."""
    try:
        broker = broker_for(settings)
        where = f"Kafka {broker.version}"
        data = _pretty(broker.data_dir)
        if action == "up":
            started = broker.start()
            st = broker.status()
            state = "running" if started else "already running"
            print(f"{where} {state} at {st.bootstrap} (pid {st.pid}, data {data})")
            _registry_up(settings)
        elif action == "down":
            _registry_down(settings)
            pid = broker.stop()
            if pid is None:
                print(f"{where} was not running at {broker.bootstrap}")
            else:
                print(f"{where} stopped at {broker.bootstrap} (was pid {pid}, data kept in {data})")
        elif action == "status":
            st = broker.status()
            if not st.running:
                # Say so when something else holds the port: `up` would fail on it.
                busy = "" if _port_free(broker.port) else f"; port {broker.port} is taken"
                print(f"{where} not running at {st.bootstrap} (data {data}{busy})")
                return 1
            print(f"{where} running at {st.bootstrap} (pid {st.pid}, data {data})")
            if not settings.registry_url:
                registry = RegistryProcess(settings)
                pid = registry.pid()
                print(f"schema registry {'running' if pid else 'not running'} at {registry.url}")
                return 0 if pid else 1
        elif action == "install":
            libs = broker.install()
            size = sum(f.stat().st_size for f in libs.iterdir()) / 1e6
            print(f"{where} jars ready in {_pretty(libs)} ({size:.0f} MB)")
        else:
            print(
                f"error: unknown broker action {action!r}; use up, down, status or install", file=sys.stderr
            )
            return 2
    except BrokerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
