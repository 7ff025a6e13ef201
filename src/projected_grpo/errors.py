"""Errors the CLI reports as a one-line message and exit code 2 (bad input, not a bug)."""


class UserError(ValueError):
    """Bad input: a file, line, field or flag the user can fix. The message names it."""
