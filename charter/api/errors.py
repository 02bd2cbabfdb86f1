"""A request parameter the API refuses: a 400 naming it (the error shape is in views.py)."""

from __future__ import annotations


class InvalidParameter(Exception):
    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message
