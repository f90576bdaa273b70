"""Errors that end a whole command, not just one call."""


class ConfigError(Exception):
    """Settings that cannot work; the message is one sentence for a person."""
