"""MDT needs assessments, section by section, and outcome scores."""
