"""Invitations: create, open, revoke, regenerate, extend; their emails and reminders."""
