"""Service directory and referrals (filled in by a later issue)."""
