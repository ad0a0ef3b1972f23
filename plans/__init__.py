"""Individual reintegration plans: goals, tasks, versions, signatures and the printed plan."""
