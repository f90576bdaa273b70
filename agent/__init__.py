"""The calltriage runtime: calls, intake, eligibility, triagers, worker, MCP and CLI."""
