"""outbox pages of the blogger (placeholder until built)."""
