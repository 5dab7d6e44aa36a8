"""Shared look of the simulation charts (plotly.js `basic` bundle: scatter, bar and pie only)."""
from __future__ import annotations

import plotly.graph_objects as go

FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif'

# Okabe–Ito: distinguishable with colour-blindness and on a projector.
BLUE, ORANGE, GREEN, RED, SKY, PURPLE, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#6b7280",
)
STAGE_COLOURS = (SKY, BLUE, GREEN, ORANGE)
# A tiny template instead of plotly.py's default one, which adds ~7 kB to every figure.
TEMPLATE = go.layout.Template(layout={"colorway": [BLUE, ORANGE, GREEN, RED, SKY, PURPLE, YELLOW, GREY]})


def layout(title: str, x_title: str, y_title: str, **extra) -> dict:
    """A compact layout with room for Chinese labels; the page's box decides the size."""
    settings = dict(
        title={"text": title, "x": 0.01, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13, "color": "#1d2433"},
        xaxis={"title": {"text": x_title}, "gridcolor": "#e5e7eb", "zerolinecolor": "#9ca3af"},
        yaxis={"title": {"text": y_title}, "gridcolor": "#e5e7eb", "zerolinecolor": "#6b7280", "zerolinewidth": 2},
        # Below the x-axis title, measured from the bottom of the whole figure so they never overlap.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        margin={"l": 64, "r": 16, "t": 44, "b": 96},  # fixed: automargin redraws every chart twice
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hovermode="x unified",
        separators=".,",
        template=TEMPLATE,
    )
    for axis in ("xaxis", "yaxis"):
        settings[axis].update(extra.pop(axis, {}))
    settings.update(extra)
    return settings


def figure(traces: list[dict], title: str, x_title: str, y_title: str, **extra) -> go.Figure:
    """One go.Figure from trace dicts, built in a single call: add_trace/add_vrect/make_subplots
    re-validate the figure at every step and made data.json 3–10× slower."""
    return go.Figure(data=traces, layout=layout(title, x_title, y_title, **extra))


def band(x0: float, x1: float, colour: str, label: str, top: bool = True) -> tuple[dict, dict]:
    """A shaded vertical band across the plot with its label (a shape and an annotation)."""
    shape = {"type": "rect", "xref": "x", "yref": "paper", "x0": x0, "x1": x1, "y0": 0, "y1": 1, "layer": "below",
             "fillcolor": colour, "opacity": 0.12, "line": {"width": 0}}
    note = {"text": label, "xref": "x", "yref": "paper", "x": x0, "y": 1 if top else 0, "xanchor": "left",
            "yanchor": "top" if top else "bottom", "showarrow": False, "font": {"size": 12}}
    return shape, note
