"""The coach's pages that create, change and remove every record of a client's search.

One small module per kind of record; each page is scoped by a `frontend.pages` decorator (a
client's portal user, a coach who does not coach the client and another practice all get a 404)
and writes through the same `coaching.services` as the API, so validation, the timeline and the
webhooks are identical. Date-times are typed and shown in the client's time zone (`common.zoned`).
"""
