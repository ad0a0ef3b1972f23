"""Tier 0: helpers every app shares, with no models of their own."""
