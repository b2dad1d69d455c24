from django.apps import AppConfig


class ScaleAppConfig(AppConfig):
    """A tenant app installed only by the scale benchmark (tests/bench/scale_settings.py): its
    second migration is the "one new migration" applied to every practice (P7b)."""

    name = "tests.bench.scale_app"
    label = "scale_app"
    default_auto_field = "django.db.models.BigAutoField"
