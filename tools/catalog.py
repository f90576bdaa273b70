"""The one registry every tool is added to; tools.triage fills it."""

from tools.registry import ToolRegistry

registry = ToolRegistry()
