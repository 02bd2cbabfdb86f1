"""Reading /impact as a visitor would: each table and each bar chart, as text.

The page's markup comes from our own templates (`public/impact.html`, `components/charts.html`),
so a few patterns read it; html.unescape turns entities back into the characters shown."""

from __future__ import annotations

import html
import re

_TABLE = re.compile(r"<table.*?</table>", re.S)
_CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
_BODY_ROW = re.compile(r"<tbody.*?</tbody>", re.S)
_ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
_CHART = re.compile(r'<div class="app-bar-chart".*?(?=<div class="app-table-scroll")', re.S)
_CHART_CAPTION = re.compile(r"<p[^>]*>(.*?)</p>", re.S)
_BAR = re.compile(
    r"app-bar-chart__label[^>]*>(.*?)</span>(.*?)app-bar-chart__value[^>]*>(.*?)</span>", re.S
)
_TAG = re.compile(r"<[^>]+>")


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def tables(page: str) -> dict[str, list[list[str]]]:
    """Caption -> the body rows, each a list of cell texts (row header first)."""
    out = {}
    for table in _TABLE.findall(page):
        caption = _CAPTION.search(table)
        body = _BODY_ROW.search(table)
        if caption and body:
            rows = [[_text(c) for c in _CELL.findall(r)] for r in _ROW.findall(body.group(0))]
            out[_text(caption.group(1))] = rows
    return out


def bar_charts(page: str) -> dict[str, list[tuple[str, bool, str]]]:
    """Caption -> (label, whether a bar is drawn, the text beside it) for each row."""
    out = {}
    for chart in _CHART.findall(page):
        caption = _text(_CHART_CAPTION.search(chart).group(1))
        out[caption] = [
            (_text(label), svg.count("<rect") > 1, _text(value))
            for label, svg, value in _BAR.findall(chart)
        ]
    return out
