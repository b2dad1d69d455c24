"""Diagnostics on real data: load a client's records for the pure engine (`coaching.diagnostics`),
store the practice's threshold settings, the coach's decisions on findings and weekly snapshots,
and build the client and practice reports (JSON, HTML, PDF).

- `insights.loader`: ORM rows to `Snapshot`, for one client or many in a fixed number of queries.
- `insights.services`: writes (threshold settings, dispositions, weekly snapshots).
- `insights.reports`: reads (client report, practice report, dashboard statuses), scoped by actor.
- `insights.selectors`: threshold settings as read by the settings pages (value and source).
- `insights.pdf`: the client report as a PDF.
"""
