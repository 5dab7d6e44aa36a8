"""What a simulation page shows besides charts: headline numbers and tables of intermediate values.

Plain data, so the server renders the first view and the browser re-renders it from data.json.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stat:
    """A headline number. `tex` is the worked calculation with the numbers substituted."""

    key: str
    label: str
    text: str
    tex: str = ""
    note: str = ""
    tone: str = ""  # "", "good", "bad": colours a verdict
    value: float | None = None  # the number shown, in its shown unit (42% → 42): what students predict; None for a verdict


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    text_columns: tuple[int, ...] = ()  # prose columns: left-aligned and wrapped; the others hold numbers


def money(x: float | None, digits: int = 2) -> str:
    """Chinese finance style: thousands separators, two decimals (9,210.08)."""
    if x is None:
        return "—"
    return f"{x:,.{digits}f}"


def num(x: float | None, digits: int = 4) -> str:
    if x is None:
        return "—"
    return f"{x:.{digits}f}"


def pct(x: float | None, digits: int = 1) -> str:
    """A fraction shown as a percentage (0.08 → 8.0%)."""
    if x is None:
        return "—"
    return f"{x * 100:.{digits}f}%"


def tex_money(x: float) -> str:
    """A money amount for a formula, as the textbook writes it: no thousands separator (9210.08)."""
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.2f}"


def tex_num(x: float, digits: int = 4) -> str:
    """A plain number for TeX without trailing zeros (1.0800 → 1.08)."""
    return f"{x:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:.0f}"
