"""The one thing the domain's vocabulary takes from Django: the base class of its enumerations
(`coaching.choices`, the failure codes, severities and statuses of the engine): a value, a
label, and the `choices` Django's fields and forms read.

Kept to this single import so that the diagnostics engine, which speaks the vocabulary, imports
nothing else of Django: the import contract "the engine is pure" (pyproject.toml) ignores this
module's import of Django and no other.
"""

from django.db.models import TextChoices

__all__ = ["TextChoices"]
