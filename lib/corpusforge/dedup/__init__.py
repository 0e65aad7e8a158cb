"""Dedup stage: exact (content and normalised hashes) and near-duplicate (MinHash-LSH) removal."""
