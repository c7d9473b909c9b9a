"""Publish portraits to the blog's WordPress: settings, REST client, connection check, pushes.

`process_due_pushes(now=None) -> int` runs the queued pushes that are due; the background
worker calls it periodically, the `flask wordpress push` command right away.
"""
