"""Password-reset links bound to their practice.

Django's generator signs the user's id, password hash, last login and email with a fixed salt.
User ids repeat across practices, so the salt here also names the practice's schema and the
purpose (`accounts.tokens`): a reset link from practice A is refused on practice B's host even for
the user with the same id. A link still dies once used (the password hash changes) and expires
after `PASSWORD_RESET_TIMEOUT`.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator

from accounts.tokens import Purpose, current_schema, purpose_salt


class PracticePasswordResetTokenGenerator(PasswordResetTokenGenerator):
    @property
    def key_salt(self) -> str:  # type: ignore[override]
        return purpose_salt(purpose=Purpose.PASSWORD_RESET, schema_name=current_schema())
