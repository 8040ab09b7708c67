"""Request budgets per client address (Flask-Limiter), shared between the views that spend them.

Password login (by e-mail, phone number or user name) and access-code login
draw on one budget, so that switching between them buys an attacker nothing;
registration forms (volunteers and refugees) share another. Per account, the
growing pauses of ``app.security.throttle`` apply on top.
"""

from flask import current_app

from app.extensions import limiter

login_limit = limiter.shared_limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], scope="login", methods=["POST"])
registration_limit = limiter.shared_limit(
    lambda: current_app.config["REGISTRATION_RATE_LIMIT"], scope="registration", methods=["POST"]
)
reset_limit = limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
