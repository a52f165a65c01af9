"""Policing Performance 360: frameworks, cycles, raters, reports."""
