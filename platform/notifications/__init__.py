"""Reminders, digests and nightly diagnostics sent from the Celery worker, each user's choice of
emails, signed unsubscribe links, and revocable calendar (ICS) feeds. A tenant app: every table
lives in each practice's schema.

- `notifications.jobs`: what each background job decides (services, one module per job).
- `notifications.tasks`: thin Celery tasks over the jobs, plus the hourly dispatcher.
- `notifications.services`: the outbox (queue once, deliver once), preferences, feeds.
"""
