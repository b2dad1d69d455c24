from django.db import models


class BenchNote(models.Model):
    text = models.CharField(max_length=200, blank=True)
    # Added by migration 0002: a nullable column, as an additive (expand) migration would add.
    note = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    def __str__(self) -> str:
        return self.text
