"""Tier 3: the case worker's desk: home, the caseload, intake and the case file's overview."""
