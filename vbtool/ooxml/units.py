"""Lengths in the units WordprocessingML uses, converted in one place.

vbtool's profiles speak millimetres and points; the XML speaks twentieths of a
point ("twips": page size, margins, indents, spacing), half-points (font sizes)
and eighths of a point (borders). 1 inch = 25.4 mm = 72 pt = 1440 twips.
"""
from __future__ import annotations

MM_PER_INCH = 25.4
PT_PER_INCH = 72
TWIPS_PER_PT = 20
TWIPS_PER_INCH = PT_PER_INCH * TWIPS_PER_PT


def twips(mm: float) -> int:
    """Millimetres → twips, rounded (what w:pgMar, w:ind, w:tblW take)."""
    return round(mm * TWIPS_PER_INCH / MM_PER_INCH)


def pt_twips(pt: float) -> int:
    """Points → twips, rounded (what w:spacing takes)."""
    return round(pt * TWIPS_PER_PT)


def half_points(pt: float) -> int:
    """Points → half-points, rounded (what w:sz takes)."""
    return round(pt * 2)


def twips_mm(value: float) -> float:
    """Twips → millimetres."""
    return value * MM_PER_INCH / TWIPS_PER_INCH


def twips_pt(value: float) -> float:
    """Twips → points."""
    return value / TWIPS_PER_PT


def half_points_pt(value: float) -> float:
    """Half-points → points."""
    return value / 2


def pt_mm(pt: float) -> float:
    """Points → millimetres (text widths from font sizes)."""
    return pt * MM_PER_INCH / PT_PER_INCH
