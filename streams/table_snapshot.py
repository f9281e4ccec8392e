"""A table's state saved when its worker stops cleanly, so the next start reads only what came after.

A worker's tables live in memory and are rebuilt from their changelogs; read from the start, that
grows with everything the changelog holds. On a clean stop (after the last commit, the producer
flushed) each table writes what it holds for its partitions with the changelog offset each
partition's state reached; the next start loads that and replays only the records past those
offsets. The state equals the changelog up to the saved offsets, so reading on from them gives the
state a full replay would.

A snapshot is used once: loading deletes it, so after a crash the worker replays from the start
(what it held in memory then may be ahead of the changelog). It lives under the broker cluster's
id, so a worker pointed at another cluster never loads it.
"""

from __future__ import annotations

import fcntl
import logging
import marshal
import os
import sys
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from streams.frozen_ids import NO_FROZEN, RECORD, Frozen

log = logging.getLogger(__name__)

FORMAT = 4
SUFFIX = ".snapshot"
# Compacted changelogs drop a deletion's tombstone a day after it was written (Kafka's
# delete.retention.ms); reading on from an older snapshot could miss one, so it is not used.
MAX_AGE_SECONDS = 12 * 3600
_HELD: set[StateSlot] = set()
Built = TypeVar("Built")  # what a table makes of its snapshot


@dataclass
class Snapshot:
    offsets: dict[int, int]  # changelog partition -> offset of the last record the state holds
    # changelog partition -> (keys, packed values (streams/packed_store.py)) in the same order:
    # grouped by partition rather than a partition per key, which would double what a start reads,
    # and as two lists, which marshal reads several times faster than a dict.
    partitions: dict[int, tuple[list[Any], list[bytes]]]
    # Event ids as sorted fixed-size records (streams/frozen_ids.py), where the table holds them.
    frozen: Frozen = NO_FROZEN

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self.partitions.values()) + len(self.frozen[1]) // RECORD.size


def save(path: Path, snapshot: Snapshot) -> None:
    """Write ``snapshot`` whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "format": FORMAT,
        "python": sys.version_info[:2],
        "saved_at": time.time(),
        "offsets": snapshot.offsets,
        "partitions": snapshot.partitions,
        "frozen": snapshot.frozen,
    }
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        marshal.dump(body, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, path)


def take(path: Path) -> Snapshot | None:
    """The snapshot at ``path``, removed so it is never used twice; None if there is none usable."""
    try:
        # Read whole, then decoded: marshal.load on a file reads it a few bytes at a time.
        body = marshal.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError) as exc:
        log.warning("%s: unreadable snapshot (%s); replaying the changelog", path, exc)
        body = None
    finally:
        path.unlink(missing_ok=True)
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        return None
    if body.get("python") != sys.version_info[:2]:
        return None  # marshal's format belongs to the Python version
    if not 0 <= time.time() - body.get("saved_at", 0) <= MAX_AGE_SECONDS:
        log.warning(
            "%s: snapshot older than %d hours; replaying the changelog", path, MAX_AGE_SECONDS // 3600
        )
        return None
    return Snapshot(body["offsets"], body["partitions"], body.get("frozen", NO_FROZEN))


class StateSlot:
    """A directory of a worker's own on this host, the same one across its restarts.

    Workers of one application on one host take the first directory no other holds (an exclusive
    lock kept while the process lives), so two never write the same snapshot and a restarted
    worker finds the one it left.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.path: Path | None = None
        self._lock: IO[bytes] | None = None

    def take(self) -> Path:
        number = 0
        while True:
            path = self.base / f"worker-{number}"
            path.mkdir(parents=True, exist_ok=True)
            lock = (path / ".lock").open("wb")
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                number += 1
                continue
            self.path, self._lock = path, lock
            _HELD.add(self)  # the lock lasts as long as the process, not as long as this object
            return path

    def release(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None
        _HELD.discard(self)


def cluster_id(bootstrap: str, **client_options: Any) -> str:
    """The Kafka cluster's id, which a snapshot is kept under."""
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="onething-state", **client_options)
    try:
        return str(admin.describe_cluster()["cluster_id"])
    finally:
        admin.close()


class SnapshotPlace:
    """Where one worker's table snapshots go: ``base``/<cluster id>/worker-N, found on first use
    (when the broker answers: the tables are recovering), or nowhere if the cluster cannot be named.
    """

    def __init__(self, base: Path, find_cluster: Callable[[], str]) -> None:
        self.base, self._find_cluster = base, find_cluster
        self._resolved = False
        self._directory: Path | None = None

    def directory(self) -> Path | None:
        if not self._resolved:
            self._resolved = True
            try:
                cluster = self._find_cluster()
            except Exception as exc:  # e.g. a principal not allowed to describe the cluster
                log.warning("cluster id unknown (%s): tables are not saved across restarts", exc)
            else:
                self._directory = StateSlot(self.base / cluster).take()
        return self._directory

    def load(self, table: str, build: Callable[[Snapshot], Built]) -> Built | None:
        """``table``'s snapshot made ready by ``build``, removed so it is never used twice; None
        if there is none usable."""
        try:
            directory = self.directory()
            snapshot = None if directory is None else take(directory / f"{table}{SUFFIX}")
            return None if snapshot is None else build(snapshot)
        except Exception:
            log.exception("%s: could not load its snapshot; replaying the changelog", table)
            return None


_PLACES: weakref.WeakKeyDictionary[Any, SnapshotPlace] = weakref.WeakKeyDictionary()


def keep_snapshots(app: Any, place: SnapshotPlace) -> None:
    """Tables of ``app`` save and load their snapshots in ``place``."""
    _PLACES[app] = place


def snapshot_directory(app: Any) -> Path | None:
    place = _PLACES.get(app)
    return place.directory() if place is not None else None


def load(app: Any, table: str, build: Callable[[Snapshot], Built]) -> Built | None:
    """The snapshot of ``app``'s ``table`` made ready by ``build``; None if there is none."""
    place = _PLACES.get(app)
    return None if place is None else place.load(table, build)
