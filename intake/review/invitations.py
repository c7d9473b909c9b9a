"""invitations pages of the blogger (placeholder until built)."""
