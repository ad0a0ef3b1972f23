"""MDT needs assessments (filled in by a later issue)."""
