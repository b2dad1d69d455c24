"""Cursor pagination: stable under concurrent inserts, no COUNT query, constant cost per page."""

from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"

    def decode_cursor(self, request: Any) -> Any:
        try:
            return super().decode_cursor(request)
        except Exception as exc:  # DRF answers 404 for a bad cursor; it is bad input
            raise ValidationError(
                {"cursor": ["This cursor is not valid; use the `next` link of a page."]}
            ) from exc
