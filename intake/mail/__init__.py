"""Mail: the outbox (written in the caller's transaction), placeholders, delivery."""
