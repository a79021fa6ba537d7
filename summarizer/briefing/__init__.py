"""Briefings a person reads, rendered from Jinja2 templates beside this module."""

from __future__ import annotations

from .render import render_briefing

__all__ = ["render_briefing"]
