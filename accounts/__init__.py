"""Tier 0: staff accounts, organisations and roles, login and two-step login, the role gate."""
