"""Text laid out for a terminal, where a CJK character takes two columns."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def width(text: str) -> int:
    """Columns the text takes on a terminal: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """Pad to a terminal width, counting CJK characters as two columns."""
    return text + " " * max(columns - width(text), 0)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> list[str]:
    """Lines of an aligned table; columns in ``right`` (numbers) are right-aligned."""
    widths = [max(width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        laid = [
            " " * (w - width(c)) + c if i in right else pad(c, w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(laid).rstrip()

    return [line(headers), line(["─" * w for w in widths]), *(line(row) for row in rows)]
