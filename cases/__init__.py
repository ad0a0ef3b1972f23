"""Tier 1: the case file: the beneficiary record and its own parts, who may open it, the access log."""
