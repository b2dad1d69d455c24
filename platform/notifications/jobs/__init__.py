"""The background jobs, one module each. Every job is a plain function of an explicit `now` (or
day) that runs inside the current practice's schema; `notifications.tasks` wraps them for Celery
and `notifications.jobs.schedule` decides when each practice runs what."""
