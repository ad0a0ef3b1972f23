"""Tier 3: reports for the organisation and its funders, their charts and CSV exports."""
