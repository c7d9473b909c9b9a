"""Invitations: create, revoke, regenerate, open a link, reminders, lists."""
