"""What a failed Claude API request means for the run, in words for a person.

The SDK has already retried rate limits, overloads and server errors by the time
an error reaches us. A rejected key or an unknown model fails every call alike,
so it stops the whole command; anything else fails only the call at hand.
"""

from __future__ import annotations

import anthropic

from agent.errors import ConfigError


class TriagerConfigError(ConfigError):
    """The model cannot be used at all with this configuration."""


def stop_if_misconfigured(exc: anthropic.APIError, model: str) -> None:
    """Raise TriagerConfigError when `exc` would fail every call the same way."""
    where = _host(exc)
    if isinstance(exc, anthropic.AuthenticationError | anthropic.PermissionDeniedError):
        raise TriagerConfigError(
            f"the Claude API at {where} rejected the API key "
            f"({_status(exc)}); check ANTHROPIC_API_KEY"
        ) from exc
    if isinstance(exc, anthropic.NotFoundError):
        raise TriagerConfigError(
            f"the Claude API at {where} does not know the model {model!r} "
            f"({_status(exc)}); check CALLTRIAGE_MODEL and ANTHROPIC_BASE_URL"
        ) from exc


def describe_api_error(exc: anthropic.APIError) -> str:
    """One sentence naming what failed, with the request id when there is one."""
    if isinstance(exc, anthropic.APIStatusError):
        said = f": {exc.api_message}" if exc.api_message else ""
        request = f" (request id {exc.request_id})" if exc.request_id else ""
        return f"the Claude API answered {_status(exc)}{said}{request}"
    if isinstance(exc, anthropic.APITimeoutError):
        return f"the Claude API at {_host(exc)} did not answer in time"
    if isinstance(exc, anthropic.APIConnectionError):
        return f"cannot connect to the Claude API at {_host(exc)}"
    return f"the Claude API sent a reply that cannot be read: {exc.message}"


def _status(exc: anthropic.APIStatusError) -> str:
    return f"{exc.status_code} {exc.type}" if exc.type else str(exc.status_code)


def _host(exc: anthropic.APIError) -> str:
    url = exc.request.url
    return f"{url.scheme}://{url.netloc.decode()}"
