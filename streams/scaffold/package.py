"""Lays out a new department's package from the templates: names checked, nothing overwritten."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from streams.contracts import snake_case
from streams.scaffold import templates

NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Names:
    name: str  # the department, the flow and the schemas' area
    display_name: str

    @property
    def camel(self) -> str:
        return "".join(part.capitalize() for part in self.name.split("_"))

    @property
    def package(self) -> str:
        return f"onething_{self.name}"

    @property
    def distribution(self) -> str:
        return f"onething-{self.name.replace('_', '-')}"

    @property
    def prefix(self) -> str:
        return "".join(part[0] for part in self.name.split("_") if part).upper()

    def substitutions(self) -> dict[str, str]:
        fields = ("name", "display_name", "camel", "package", "distribution", "prefix")
        return {field: getattr(self, field) for field in fields}


def check_name(name: str) -> None:
    """Raise ValueError unless ``name`` can be a department, a Python package and a schema area."""
    if not NAME.fullmatch(name) or keyword.iskeyword(name) or name.endswith("_") or "__" in name:
        raise ValueError(
            f"{name!r} cannot name a department: use lowercase letters, digits and single underscores, "
            "starting with a letter (e.g. pension_office)"
        )


def files(names: Names) -> dict[str, str]:
    """Every file of the package by its path inside it."""
    name, package = names.name, names.package
    application = snake_case(f"{names.camel}ApplicationSubmitted")
    approved = snake_case(f"{names.camel}Approved")
    layout = {
        "pyproject.toml": templates.PYPROJECT,
        "README.md": templates.README,
        ".gitignore": templates.GITIGNORE,
        f"{package}/__init__.py": templates.INIT,
        f"{package}/department.py": templates.DEPARTMENT,
        f"{package}/flow.py": templates.FLOW,
        f"{package}/schemas/{name}/{application}.v1/1.avsc": templates.APPLICATION_SCHEMA,
        f"{package}/schemas/{name}/{approved}.v1/1.avsc": templates.APPROVED_SCHEMA,
        f"tests/test_{name}.py": templates.TESTS,
    }
    values = names.substitutions()
    return {path: Template(text).substitute(values) for path, text in layout.items()}


def scaffold(names: Names, target: Path) -> list[Path]:
    """Write the package into ``target``, which must not exist yet; the files written, in order."""
    check_name(names.name)
    if target.exists():
        raise ValueError(f"{target} already exists; name a new folder with --path")
    written = []
    for relative, text in files(names).items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
