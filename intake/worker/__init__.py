"""The one background worker: mail delivery and retries, reminders and expiries, PDF renders.

Requests only write rows (an outbox message, a render request) in their own transaction; the
worker (`flask --app intake worker`, or `--once` from cron) does the rest. Its jobs are listed
in jobs.py; loop.py runs them; heartbeat.py says when it last ran.
"""
