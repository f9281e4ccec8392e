"""Saving a table's state on a clean stop and loading it once on the next start."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from streams import table_snapshot
from streams.table_snapshot import Snapshot, SnapshotPlace, StateSlot


def sample() -> Snapshot:
    return Snapshot(offsets={0: 41, 2: 7}, partitions={0: (["C-1"], [b"m1"]), 2: (["C-2"], [b"m2"])})


def test_a_saved_snapshot_is_loaded_once(tmp_path: Path):
    path = tmp_path / "tables" / "cases.snapshot"
    table_snapshot.save(path, sample())
    assert table_snapshot.take(path) == sample()
    assert not path.exists()  # a crash after this start replays the changelog from the start
    assert table_snapshot.take(path) is None


def test_a_snapshot_of_another_python_an_old_one_or_a_broken_file_is_not_used(tmp_path: Path):
    path = tmp_path / "cases.snapshot"
    table_snapshot.save(path, sample())
    body = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps(body | {"python": (2, 7)}))
    assert table_snapshot.take(path) is None
    stale = body["saved_at"] - table_snapshot.MAX_AGE_SECONDS - 1
    path.write_bytes(marshal.dumps(body | {"saved_at": stale}))
    assert table_snapshot.take(path) is None
    path.write_bytes(b"\x00not marshal")
    assert table_snapshot.take(path) is None and not path.exists()


def test_an_interrupted_save_leaves_the_previous_file_alone(tmp_path: Path, monkeypatch):
    path = tmp_path / "cases.snapshot"
    table_snapshot.save(path, sample())

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(table_snapshot.os, "fsync", fail)
    with pytest.raises(OSError):
        table_snapshot.save(path, Snapshot({}, {}))
    assert table_snapshot.take(path) == sample()


def test_workers_on_one_host_take_distinct_directories_and_a_restart_finds_its_own(tmp_path: Path):
    first, second = StateSlot(tmp_path), StateSlot(tmp_path)
    assert (first.take(), second.take()) == (tmp_path / "worker-0", tmp_path / "worker-1")
    first.release()  # the first worker stopped
    assert StateSlot(tmp_path).take() == tmp_path / "worker-0"


def test_snapshots_live_under_the_cluster_id_and_nowhere_when_it_cannot_be_named(tmp_path: Path):
    app, other = object.__new__(type("App", (), {})), object.__new__(type("App", (), {}))
    table_snapshot.keep_snapshots(app, SnapshotPlace(tmp_path, lambda: "cluster-a"))
    assert table_snapshot.snapshot_directory(app) == tmp_path / "cluster-a" / "worker-0"

    def refused() -> str:
        raise PermissionError("not allowed to describe the cluster")

    table_snapshot.keep_snapshots(other, SnapshotPlace(tmp_path, refused))
    assert table_snapshot.snapshot_directory(other) is None
    assert table_snapshot.snapshot_directory(object.__new__(type("App", (), {}))) is None


def test_a_snapshot_that_cannot_be_loaded_means_a_replay_not_a_failed_start(tmp_path: Path, caplog):
    place = SnapshotPlace(tmp_path, lambda: "cluster-a")
    directory = place.directory()
    assert directory is not None
    table_snapshot.save(directory / "cases.snapshot", sample())

    def broken(snapshot: Snapshot) -> int:
        raise MemoryError("no room for it")

    assert place.load("cases", broken) is None
    assert "cases: could not load its snapshot; replaying the changelog" in caplog.text
    assert not (directory / "cases.snapshot").exists()  # read again would fail again


def test_a_table_loads_its_own_snapshot_once(tmp_path: Path):
    place = SnapshotPlace(tmp_path, lambda: "cluster-a")
    directory = place.directory()
    assert directory is not None
    table_snapshot.save(directory / "cases.snapshot", sample())
    table_snapshot.save(directory / "tracker-processed.snapshot", Snapshot({1: 3}, {1: (["E-1"], [b"m"])}))
    assert place.load("cases", len) == 2  # what a store makes of it: here, its number of keys
    assert place.load("cases", len) is None  # used once
    assert place.load("issues", len) is None  # no snapshot saved for it
    assert place.load("tracker-processed", len) == 1
