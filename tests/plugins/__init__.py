"""Plug-in packages kept as test data, and a quick way to install one.

``installed`` registers a plug-in's entry points by writing its ``.dist-info`` into a folder put on
the path (what ``pip install`` leaves behind, without building anything), in this process or, via
``python_path``, in a worker started with that PYTHONPATH.
"""

from __future__ import annotations

import importlib
import os
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streams.contracts import default_catalog

RETIREMENT = Path(__file__).parent / "retirement"
BROKEN = Path(__file__).parent / "broken"


def write_dist_info(plugin: Path, target: Path) -> Path:
    """``target`` holding the plug-in's metadata and entry points, as an installer writes them."""
    project = tomllib.loads((plugin / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = target / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    groups = [
        f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in entries.items())
        for group, entries in project.get("entry-points", {}).items()
    ]
    (info / "entry_points.txt").write_text("\n".join(groups), encoding="utf-8")
    return target


def python_path(plugin: Path, target: Path) -> str:
    """PYTHONPATH for a process that should see the plug-in installed (keeps the current one)."""
    write_dist_info(plugin, target)
    return os.pathsep.join(filter(None, [str(plugin), str(target), os.environ.get("PYTHONPATH")]))


@contextmanager
def installed(plugin: Path, target: Path) -> Iterator[None]:
    """The plug-in installed in this process for the duration; everything cached about it forgotten after."""
    write_dist_info(plugin, target)
    entries = [str(plugin), str(target)]
    sys.path[:0] = entries
    importlib.invalidate_caches()
    default_catalog.cache_clear()
    try:
        yield
    finally:
        for entry in entries:
            sys.path.remove(entry)
        package = next(plugin.glob("*/__init__.py")).parent.name
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
        importlib.invalidate_caches()
        default_catalog.cache_clear()
