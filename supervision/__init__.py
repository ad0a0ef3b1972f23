"""Tier 3: the supervisors' work: review, reassignment, records, complaints, emergency-access review, the access log, retention."""
