"""calltriage as an MCP server: the triage tools, the ledger, the Triage queue,
call transcripts and issues as resources, and the triage prompt.

`server.build_server(service.TriageService(runtime, files))` makes the server;
`transport` serves it over stdio or streamable HTTP.
"""
