"""The figures as labelled rows: the same rows feed the dashboard's tables and its CSVs.

No ORM: group names come in as a dict.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import dateformat
from django.utils.translation import gettext as _

from events.models.groups import GroupKind
from home.spreadsheets import spreadsheet_safe

from . import charts
from .figures import REGULAR_VISITS, Figures


@dataclass(frozen=True)
class SummaryRow:
    section: str
    label: str
    value: int | str
    # The change against the previous period, only where both figures are shown (so it
    # publishes nothing the two figures do not already say); None otherwise.
    change: int | None = None
    before: int | str | None = None

    @property
    def change_text(self) -> str:
        return change_text(self.change)


# What the dashboard shows for a figure `suppression.protect` hid.
HIDDEN = "*"


def percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def shown(value):
    """Give a figure as it is shown: HIDDEN where it was protected away."""
    return HIDDEN if value is None else value


def change(now, before) -> int | None:
    """Give now - before when both are shown counts, else None.

    A hidden figure stays hidden: no difference is given against it, so none can be
    added to the other figure to work the hidden one back.
    """
    if isinstance(now, bool) or isinstance(before, bool):
        return None
    if isinstance(now, int) and isinstance(before, int):
        return now - before
    return None


def change_text(value: int | None) -> str:
    """Give "+12", "−3", "no change", or "" when there is nothing to compare."""
    if value is None:
        return ""
    if value == 0:
        return _("no change")
    return f"+{value}" if value > 0 else f"−{-value}"


def mixed_percent(figures) -> str:
    """Give the share at mixed dates of a period or a month, or HIDDEN."""
    return HIDDEN if figures.mixed_attendances is None else percent(figures.mixed_share)


def _summary_items(links_min: int):
    """The headline figures: (section, [(label, how to read it from a Figures)])."""
    return [
        (
            _("Reach"),
            [
                (_("Events held"), lambda f: f.events),
                (_("Dates held (cancelled dates left out)"), lambda f: f.occurrences),
                (_("Attendances (all: with a pass and anonymous)"), lambda f: f.attendances),
                (_("Attendances with a pass"), lambda f: f.attendances_with_pass),
                (_("Anonymous attendances (head-counts)"), lambda f: f.attendances_anonymous),
                (_("Different people with a pass"), lambda f: f.participants),
                (
                    _("People with a pass who came for the first time in this period"),
                    lambda f: f.new_participants,
                ),
                (
                    _("People with a pass who had come before this period"),
                    lambda f: f.returning_participants,
                ),
            ],
        ),
        (
            _("Bonding"),
            [
                (
                    _("People who came back to the same group in this period"),
                    lambda f: f.same_group_returners,
                ),
                (
                    _("Usual size of a group’s regular core (%(n)s or more dates)")
                    % {"n": REGULAR_VISITS},
                    lambda f: f.usual_core,
                ),
            ],
        ),
        (
            _("Bridging"),
            [
                (
                    _("People who took part with two or more groups"),
                    lambda f: f.multi_group_participants,
                ),
                (_("Events co-hosted by two or more groups"), lambda f: f.cohosted_events),
                (
                    _("Dates where people in recovery and the wider community met"),
                    lambda f: f.mixed_occurrences,
                ),
                (
                    _("Share of all attendances that were at those mixed dates"),
                    mixed_percent,
                ),
                (
                    _("Groups sharing %(n)s or more people with another group") % {"n": links_min},
                    lambda f: f.groups_connected(links_min),
                ),
            ],
        ),
        (
            _("Linking"),
            [
                (_("Events with civic or statutory partners"), lambda f: f.civic_events),
                (_("Dates with civic or statutory partners"), lambda f: f.civic_occurrences),
                (_("People who met civic or statutory partners"), lambda f: f.met_civic),
            ],
        ),
    ]


def summary_sections(
    figures: Figures, links_min: int = 1, previous: Figures | None = None
) -> list[tuple[str, list[SummaryRow]]]:
    """Give the headline figures, by kind of connection (links of `links_min` or more),
    each with its change against `previous` (the period before) where both are shown."""
    sections = []
    for section, items in _summary_items(links_min):
        rows = []
        for label, read in items:
            value = shown(read(figures))
            before = shown(read(previous)) if previous is not None else None
            rows.append(SummaryRow(section, label, value, change(value, before), before))
        sections.append((section, rows))
    return sections


def isolated_groups(figures: Figures, names: dict[int, str]) -> list[str] | None:
    """Give the groups that held dates but share no one (at the shown strength) with another
    group, by name; None when the links are hidden (too few people)."""
    if figures.network is None:
        return None
    linked = {g for pair in figures.network for g in pair}
    return sorted(
        names.get(g.group_id, "?")
        for g in figures.groups.values()
        if g.occurrences and g.group_id not in linked
    )


def summary_paragraph(
    figures: Figures, previous: Figures | None, names: dict[int, str], links_min: int
) -> str:
    """Give the figures in a few plain sentences for a council paper.

    Only figures shown elsewhere on the page appear, and a change only where both periods'
    figures are shown.
    """
    if not figures.occurrences:
        return _("No dates took place in this period.")
    sentences = [
        _(
            "%(groups)s groups held %(dates)s dates of %(events)s events, and people came "
            "%(attendances)s times."
        )
        % {
            "groups": f"{figures.groups_active:,}",
            "dates": f"{figures.occurrences:,}",
            "events": f"{figures.events:,}",
            "attendances": f"{figures.attendances:,}",
        }
    ]
    if previous is not None:
        moved = change(figures.attendances, previous.attendances)
        if moved:
            sentences.append(
                (
                    _("That is %(n)s more than in the period before.")
                    if moved > 0
                    else _("That is %(n)s fewer than in the period before.")
                )
                % {"n": f"{abs(moved):,}"}
            )
        elif moved == 0 and previous.occurrences:
            sentences.append(_("That is the same as in the period before."))
    sentences.append(
        _(
            "%(people)s different people came with a pass; %(new)s of them came for the first "
            "time in this period."
        )
        % {"people": f"{figures.participants:,}", "new": f"{figures.new_participants:,}"}
    )
    if figures.multi_group_participants is None:
        sentences.append(
            _(
                "How many people took part with two or more groups is not shown: too few "
                "people are behind it."
            )
        )
    else:
        sentences.append(
            _("%(bridging)s people took part with two or more groups.")
            % {"bridging": f"{figures.multi_group_participants:,}"}
        )
    alone = isolated_groups(figures, names)
    if alone is not None:
        connected = figures.groups_connected(links_min) or 0
        sentences.append(
            _("%(connected)s groups share %(n)s or more people with another group.")
            % {"connected": connected, "n": links_min}
        )
        if alone:
            sentences.append(
                _("Groups that share no one with another group yet: %(names)s.")
                % {"names": ", ".join(alone)}
            )
    return " ".join(sentences)


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


def node_kind(group) -> str:
    """Give the picture's kind of a group (a GroupRow): lived experience, civic, or other."""
    if group is None:
        return "community"
    if group.kind == GroupKind.LIVED_EXPERIENCE:
        return "lived"
    return "civic" if group.civic else "community"


def network_picture(
    figures: Figures, names: dict[int, str], groups: dict | None = None, strength: int = 1
) -> charts.NetworkPicture:
    """Give the network picture: groups coloured by kind, links of `strength` or more."""
    groups = groups or {}
    rows = sorted(
        (
            (
                g.group_id,
                names.get(g.group_id, "?"),
                g.participants,
                node_kind(groups.get(g.group_id)),
            )
            for g in figures.groups.values()
        ),
        key=lambda g: g[1],
    )
    return charts.network_picture(rows, figures.network or {}, strength=strength)


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
