"""Geometry of the charts the templates draw as inline SVG. Pure: no ORM, no request.

The templates write only SVG attributes (no style attribute, no script), so the same
charts work under the public pages' strict Content-Security-Policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

BAR_WIDTH = 40
BAR_GAP = 12
CHART_HEIGHT = 160
LABEL_SPACE = 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int | float | None  # None: suppressed, drawn as a hatched placeholder
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    baseline: float
    bars: list[Bar]


def bar_chart(points: list[tuple[str, int | float | None]]) -> BarChart:
    """Give bars for (label, value) points, scaled so the biggest fills the chart."""
    biggest = max((v for _label, v in points if v), default=0)
    bars = []
    for i, (label, value) in enumerate(points):
        x = BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
        if value is None:
            height = CHART_HEIGHT * 0.15
        else:
            height = CHART_HEIGHT * value / biggest if biggest else 0
        y = LABEL_SPACE / 2 + CHART_HEIGHT - height
        bars.append(
            Bar(
                x=x,
                y=round(y, 1),
                width=BAR_WIDTH,
                height=round(height, 1),
                label=label,
                value=value,
                text_x=x + BAR_WIDTH / 2,
                text_y=round(y - 4, 1),
            )
        )
    width = BAR_GAP + len(points) * (BAR_WIDTH + BAR_GAP)
    baseline = LABEL_SPACE / 2 + CHART_HEIGHT
    return BarChart(
        width=max(width, 100), height=baseline + LABEL_SPACE, baseline=baseline, bars=bars
    )


@dataclass(frozen=True)
class Node:
    id: int
    label: str
    x: float
    y: float
    r: float
    text_x: float
    text_y: float
    anchor: str
    participants: int
    kind: str = "community"  # one of NODE_KINDS: the node's colour and its key


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    shared: int


@dataclass(frozen=True)
class NetworkPicture:
    size: float
    nodes: list[Node]
    edges: list[Edge]
    strength: int = 1  # links of fewer shared people are not drawn


# The kinds of group the picture colours (its key says which is which).
NODE_KINDS = ("lived", "civic", "community")


def network_picture(
    groups: list[tuple[int, str, int] | tuple[int, str, int, str]],
    network: dict[tuple[int, int], int],
    size: float = 640,
    strength: int = 1,
) -> NetworkPicture:
    """Give groups (id, name, participants[, kind]) on a circle and the links between them.

    Only links of `strength` or more shared participants are drawn, so the picture shows
    the strong links rather than a tangle; a link's width grows with the people shared.
    """
    centre = size / 2
    radius = size * 0.33
    nodes: dict[int, Node] = {}
    count = len(groups)
    biggest_group = max((g[2] for g in groups), default=0) or 1
    for i, (group_id, label, participants, *rest) in enumerate(groups):
        kind = rest[0] if rest else "community"
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        x = centre + radius * math.cos(angle)
        y = centre + radius * math.sin(angle)
        label_r = radius + 14
        nodes[group_id] = Node(
            id=group_id,
            label=label,
            x=round(x, 1),
            y=round(y, 1),
            r=round(4 + 10 * math.sqrt(participants / biggest_group), 1),
            text_x=round(centre + label_r * math.cos(angle), 1),
            text_y=round(centre + label_r * math.sin(angle) + 4, 1),
            anchor="start"
            if math.cos(angle) > 0.1
            else "end"
            if math.cos(angle) < -0.1
            else "middle",
            participants=participants,
            kind=kind,
        )
    strongest = max(network.values(), default=0) or 1
    edges = []
    for (a, b), shared in sorted(network.items(), key=lambda item: item[1]):
        if a not in nodes or b not in nodes or shared <= 0 or shared < strength:
            continue
        na, nb = nodes[a], nodes[b]
        edges.append(
            Edge(
                a=na.label,
                b=nb.label,
                x1=na.x,
                y1=na.y,
                x2=nb.x,
                y2=nb.y,
                width=round(1 + 9 * shared / strongest, 1),
                shared=shared,
            )
        )
    return NetworkPicture(size=size, nodes=list(nodes.values()), edges=edges, strength=strength)


def network_svg(picture: NetworkPicture, *, title: str, description: str) -> str:
    """Give the network picture as SVG markup (attributes only; every text escaped).

    Built here rather than in a template: a big city has a thousand links or more.
    """
    pad = 260  # room for the longest names at the sides
    parts = [
        f'<svg class="insights-network__svg" viewBox="{-pad} -20 {picture.size + 2 * pad} '
        f'{picture.size + 40}" role="img" aria-labelledby="network-title network-desc">',
        f'<title id="network-title">{escape(title)}</title>',
        f'<desc id="network-desc">{escape(description)}</desc>',
    ]
    for e in picture.edges:
        parts.append(
            f'<line class="insights-network__edge" x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" '
            f'y2="{e.y2}" stroke-width="{e.width}"><title>{escape(e.a)} – {escape(e.b)}: '
            f"{e.shared}</title></line>"
        )
    for n in picture.nodes:
        # The full name on the label: a cut-off name cannot be told from another group's.
        parts.append(
            f'<circle class="insights-network__node insights-network__node--{n.kind}" cx="{n.x}" cy="{n.y}" r="{n.r}">'
            f"<title>{escape(n.label)}: {n.participants}</title></circle>"
            f'<text class="insights-network__label" x="{n.text_x}" y="{n.text_y}" '
            f'text-anchor="{n.anchor}">{escape(n.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
