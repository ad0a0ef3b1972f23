"""Referrals to the services of the directory, with the consent gate; unmet needs; case transfers."""
