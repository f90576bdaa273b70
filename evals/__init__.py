"""The eval harness: labeled calls, scoring against them, and reports."""
