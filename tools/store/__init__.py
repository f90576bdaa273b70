"""The local store: tables, engine, sessions and migrations."""
