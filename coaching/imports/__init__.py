"""CSV imports into one client's search: decode, read, validate every row, write all or nothing.

`coaching.services.imports` runs these steps for an `ImportJob`; the formats are documented in
docs/import.md.
"""
