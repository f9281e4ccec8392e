"""A throwaway Python environment in which a department's package is pip-installed as its team would.

The environment sees this checkout and the project's virtualenv (through a .pth file), so nothing
is downloaded but the package's build backend, and installing a plug-in never touches the project's
own virtualenv. ``pip``, ``onething`` and ``pytest`` on its PATH are this environment's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PluginEnvironment:
    def __init__(self, home: Path, *, env: dict[str, str] | None = None) -> None:
        self.home = home
        self.prefix = home / "venv"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(self.prefix)], check=True)
        self.python = self.prefix / "bin" / "python"
        site = Path(
            subprocess.run(
                [str(self.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
        )
        # This checkout first, so `streams` is the code under test; then its dependencies.
        (site / "onething-checkout.pth").write_text(f"{ROOT}\n{sysconfig.get_paths()['purelib']}\n")
        bin_dir = self.prefix / "bin"
        self._shim(bin_dir / "pip", f'exec "{sys.executable}" -m pip --python "{self.python}" "$@"')
        self._shim(bin_dir / "onething", f'exec "{self.python}" -m streams.cli "$@"')
        self._shim(bin_dir / "pytest", f'exec "{self.python}" -m pytest "$@"')
        # The package is found as installed, not through a path or a development variable.
        inherited = {
            k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ONETHING_EXTRA_DEPARTMENTS")
        }
        self.env = {
            **inherited,
            **(env or {}),
            "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(self.prefix),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        }

    @staticmethod
    def _shim(path: Path, line: str) -> None:
        path.write_text(f"#!/bin/sh\n{line}\n")
        path.chmod(0o755)

    def sh(self, script: str, *, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run ``script`` with bash (stopping at the first failing command) in this environment."""
        return subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=cwd,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
