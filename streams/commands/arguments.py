"""Command-line values that must be positive, refused with one line naming what was given."""

from __future__ import annotations

import argparse


def positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive")
    return value


def count(text: str) -> int:
    """A whole number, 0 or more."""
    return _whole_number(text, minimum=0, below="is negative")


def positive_count(text: str) -> int:
    """A whole number, 1 or more."""
    return _whole_number(text, minimum=1, below="is not a positive number")


def _whole_number(text: str, *, minimum: int, below: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} {below}")
    return value
