"""Login, the welcome step and the account pages; accounts.py holds the account rules."""
