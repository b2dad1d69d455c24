"""Local development: `scripts/run`. Mail is written to files under `.warmpath/mail/`."""

from config import env
from config.settings.base import *  # noqa: F403

# Off unless asked for (DEBUG=true scripts/run): an unknown address shows the product's own
# "not found" page, not Django's list of every URL.
DEBUG = env.boolean("DEBUG", default=False)
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
