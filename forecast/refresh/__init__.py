"""The unattended monthly refresh: sources, lock, ledger, change summary and the job itself."""
