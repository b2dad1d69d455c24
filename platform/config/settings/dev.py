"""Local development: `scripts/run`. Mail is written to files under `.warmpath/mail/`."""

from config.settings.base import *  # noqa: F403

DEBUG = True
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
