"""gunicorn reads this file from the working directory: a startup check, no other setting.

The command line still decides workers, threads and the address (README, Production).
"""


def on_starting(server):
    """Refuse to start several workers that would each count rate limits alone (memory://)."""
    from intake import server_settings
    from intake.config import shared_limits_problem

    problem = shared_limits_problem(server_settings(), server.cfg.workers)
    if problem:
        raise RuntimeError(problem)  # gunicorn prints "Error: …" and exits with status 1
