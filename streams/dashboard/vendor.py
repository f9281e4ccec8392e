"""ECharts for the dashboard's charts: installed from npm into a git-ignored folder, served locally
so the pages work with no internet."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ECHARTS_VERSION = "6.1.0"
VENDOR_DIR = Path(__file__).parent / "vendor"
ECHARTS = VENDOR_DIR / "node_modules" / "echarts" / "dist" / "echarts.min.js"


class EChartsMissing(RuntimeError):
    pass


def echarts(*, install: bool = True) -> Path:
    """The path of echarts.min.js, running `npm install` first if it is not there yet."""
    if ECHARTS.exists() or not install:
        return ECHARTS
    npm = shutil.which("npm")
    if npm is None:
        raise EChartsMissing(
            "the dashboard's charts need ECharts: install Node.js's npm, then `make install`"
        )
    VENDOR_DIR.mkdir(exist_ok=True)
    subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(VENDOR_DIR),
            "--no-audit",
            "--no-fund",
            "--silent",
            f"echarts@{ECHARTS_VERSION}",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if not ECHARTS.exists():
        raise EChartsMissing(f"npm installed echarts@{ECHARTS_VERSION}, but {ECHARTS} is missing")
    return ECHARTS


if __name__ == "__main__":  # `python -m streams.dashboard.vendor`: what `make install` runs
    print(echarts())
