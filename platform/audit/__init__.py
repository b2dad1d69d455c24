"""The practice's audit log: who did what to members, keys, webhooks, billing, settings, data
and sign-ins, from which address. A tenant app (one table per practice), append-only.

- `audit.services.audit_record`: the one way an entry is written (services call it).
- `audit.selectors`: the owner's reads (page and API).
- `audit.context`: the request's address, set by `audit.middleware`, read by the service.
"""
