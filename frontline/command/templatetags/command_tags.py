"""Arithmetic for the dashboard's bar charts, drawn as SVG on the server: a phone on a
weak network gets 14 bars in a few hundred bytes instead of a charting library."""

from django import template

register = template.Library()
HEIGHT = 38


@register.filter
def mul(value: int, factor: int) -> int:
    return int(value) * int(factor)


@register.filter
def bar_h(value, top) -> float:
    """A bar's height out of 38 units; a non-zero value shows at least a sliver."""
    if not top or not value:
        return 0
    return max(round(float(value) / float(top) * HEIGHT, 1), 1)


@register.filter
def bar_y(value, top) -> float:
    return 40 - bar_h(value, top)
