"""The jobs behind the commands: a feasibility run (computed, then saved by the caller), batch
predictions, the demo and the history of a target across runs."""
