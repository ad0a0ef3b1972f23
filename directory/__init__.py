"""Tier 1: the service directory: organisations and the services they offer."""
