"""Tier 3: fictional demo data and the benchmark commands."""
