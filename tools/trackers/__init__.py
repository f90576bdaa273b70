"""Where teams, customers and triage issues live: the local store or Linear."""
