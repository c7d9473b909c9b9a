"""The workflow: set_state, the one place a submission moves, and the audit trail."""
