"""Trainer-ready shards: mixing to a budget, sequence building, and the three file formats."""
