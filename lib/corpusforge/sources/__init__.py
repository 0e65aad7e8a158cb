"""Readers that turn each kind of input into ingest records (documents or rejects)."""
