"""Follow-up: visits and calls, the contact interval of each stage, milestones, the reminder scan."""
