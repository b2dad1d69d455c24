"""A practice's data over its life: what procurement asks about.

- `exports`: a client's search, or the whole practice, as a zip of JSON and CSV with a README
  (`export_spec` says what goes in, `export_writer` writes it), built in the background and
  downloaded through a practice- and purpose-bound link.
- `deletion`: a contact now (its history kept, anonymised), a client after a grace period with
  undo, the practice after a grace period (the schema drop itself is `practice_drop`).
- `retention`: the owner's rule for ended searches, applied by the same sweep.
- `tombstones` and `redaction`: what a deletion leaves behind: one row per deleted record for
  the API's deletions feed, and nothing readable of the person anywhere else.
- `sweep`: the beat job's work in one practice; `tasks`: the Celery wrappers.
"""
