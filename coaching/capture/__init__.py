"""Capture without typing: a LinkedIn data archive, mail forwarded or BCC'd to the client's
private address, and calendar invites become the client's record (docs/capture.md).

Captured exchanges wait in `CapturedInteraction` (pending) until the client confirms them in
the review list; only then are they interactions the coach and the diagnosis see.
"""
