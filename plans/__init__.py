"""Individual reintegration plans (filled in by a later issue)."""
