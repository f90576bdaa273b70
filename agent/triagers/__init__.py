"""Triagers read one eligible call and file its findings through the tools."""
