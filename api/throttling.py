from rest_framework.throttling import UserRateThrottle


class PerUserThrottle(UserRateThrottle):
    """Requests per acting person (a key counts as the member it acts as). The cache's key
    function prefixes the practice's schema, so ids never collide across practices."""

    scope = "user"
