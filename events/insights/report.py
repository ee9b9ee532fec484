"""The figures as labelled rows: the same rows feed the dashboard's tables and its CSVs.

No ORM: group names come in as a dict.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

from home.spreadsheets import spreadsheet_safe

from . import charts
from .figures import REGULAR_VISITS, Figures


@dataclass(frozen=True)
class SummaryRow:
    section: str
    label: str
    value: int | str


# What the dashboard shows for a figure `suppression.protect` hid.
HIDDEN = "*"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def shown(value):
    """Give a figure as it is shown: HIDDEN where it was protected away."""
    return HIDDEN if value is None else value


def mixed_percent(figures) -> str:
    """Give the share at mixed dates of a period or a month, or HIDDEN."""
    return HIDDEN if figures.mixed_attendances is None else percent(figures.mixed_share)


def summary_sections(figures: Figures, links_min: int = 1) -> list[tuple[str, list[SummaryRow]]]:
    """Give the headline figures, by kind of connection (links of `links_min` or more)."""

    def rows(section, items):
        return section, [SummaryRow(section, label, shown(value)) for label, value in items]

    return [
        rows(
            _("Reach"),
            [
                (_("Events held"), figures.events),
                (_("Dates held"), figures.occurrences),
                (_("Attendances (all)"), figures.attendances),
                (_("Attendances with a pass"), figures.attendances_with_pass),
                (_("Anonymous attendances"), figures.attendances_anonymous),
                (_("Different participants"), figures.participants),
                (_("New participants"), figures.new_participants),
                (_("Participants who came back"), figures.returning_participants),
            ],
        ),
        rows(
            _("Bonding"),
            [
                (_("Participants who returned to the same group"), figures.same_group_returners),
                (
                    _("Usual size of a group’s regular core (%(n)s or more dates)")
                    % {"n": REGULAR_VISITS},
                    figures.usual_core,
                ),
            ],
        ),
        rows(
            _("Bridging"),
            [
                (
                    _("Participants who took part with two or more groups"),
                    figures.multi_group_participants,
                ),
                (_("Events co-hosted by two or more groups"), figures.cohosted_events),
                (
                    _("Dates where people in recovery and the wider community met"),
                    figures.mixed_occurrences,
                ),
                (
                    _("Share of all attendances that were at those mixed dates"),
                    mixed_percent(figures),
                ),
                (
                    _("Groups sharing %(n)s or more participants with another group")
                    % {"n": links_min},
                    figures.groups_connected(links_min),
                ),
            ],
        ),
        rows(
            _("Linking"),
            [
                (_("Events with civic or statutory partners"), figures.civic_events),
                (_("Dates with civic or statutory partners"), figures.civic_occurrences),
                (_("Participants who met civic or statutory partners"), figures.met_civic),
            ],
        ),
    ]


def short_month(month) -> str:
    """Give "Jan 26": short enough to sit under a bar."""
    return dateformat.format(month, "M y")


def group_rows(figures: Figures, names: dict[int, str]) -> list[tuple[str, int, int, int, int]]:
    """Give (group, dates, attendances, participants, regular core), busiest first."""
    rows = [
        (names.get(g.group_id, "?"), g.occurrences, g.attendances, g.participants, g.regular_core)
        for g in figures.groups.values()
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0]))


def network_rows(figures: Figures, names: dict[int, str]) -> list[tuple[str, str, int]]:
    """Give (group, group, participants shared), strongest first."""
    rows = [
        (*sorted((names.get(a, "?"), names.get(b, "?"))), shared)
        for (a, b), shared in (figures.network or {}).items()
    ]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def month_chart(figures: Figures, attribute: str) -> charts.BarChart:
    return charts.bar_chart([(short_month(m.month), getattr(m, attribute)) for m in figures.months])


def mixed_chart(figures: Figures) -> charts.BarChart:
    return charts.bar_chart(
        [
            (
                short_month(m.month),
                None
                if m.mixed_attendances is None
                else round(100 * m.mixed_share)
                if m.mixed_share is not None
                else 0,
            )
            for m in figures.months
        ]
    )


def network_picture(figures: Figures, names: dict[int, str]) -> charts.NetworkPicture:
    groups = sorted(
        ((g.group_id, names.get(g.group_id, "?"), g.participants) for g in figures.groups.values()),
        key=lambda g: g[1],
    )
    return charts.network_picture(groups, figures.network or {})


CSV_TABLES = ("summary", "months", "groups", "network")


def csv_text(table: str, figures: Figures, names: dict[int, str], links_min: int = 1) -> str:
    """Give one table of the figures as CSV text that no spreadsheet reads as a formula."""
    if table == "summary":
        header = [_("kind"), _("figure"), _("value")]
        rows = [
            (row.section, row.label, row.value)
            for _section, items in summary_sections(figures, links_min)
            for row in items
        ]
    elif table == "months":
        header = [
            _("month"),
            _("dates"),
            _("attendances"),
            _("anonymous"),
            _("participants"),
            _("new participants"),
            _("share at mixed dates"),
        ]
        rows = [
            (
                m.month.strftime("%Y-%m"),
                m.occurrences,
                m.attendances,
                m.anonymous,
                m.participants,
                m.new_participants,
                mixed_percent(m),
            )
            for m in figures.months
        ]
    elif table == "groups":
        header = [_("group"), _("dates"), _("attendances"), _("participants"), _("regular core")]
        rows = group_rows(figures, names)
    elif table == "network":
        header = [_("group"), _("group"), _("participants shared")]
        rows = network_rows(figures, names)
    else:
        raise ValueError(table)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(spreadsheet_safe(value) for value in row)
    return out.getvalue()
