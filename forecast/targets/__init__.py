"""Plan targets: plan files, linking targets to series, and feasibility (from a target and simulated
paths to a probability, intervals and the official progress categories)."""
