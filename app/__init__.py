"""Brückenbau: coordinating volunteers for refugee integration.

``create_app`` builds the Flask application; nothing here touches the
database at import time.
"""

import gc
import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.security import register_security
from config import Config, DevelopmentConfig


class Brueckenbau(Flask):
    def log_exception(self, exc_info) -> None:
        # Flask's own message names the path, which can hold tokens; ours names the route and the request id.
        from app.observability import log_unhandled

        log_unhandled(exc_info)


def create_app(config_class: type[Config] = DevelopmentConfig) -> Flask:
    app = Brueckenbau(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    # The development database lives in instance/, which a fresh clone lacks.
    os.makedirs(app.instance_path, exist_ok=True)
    config_class.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        # Behind nginx: the client's address (for rate limits), scheme and host come from the proxy's headers.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    register_logging(app)
    register_extensions(app)
    register_security(app)  # before the blueprints: it replaces the URL map's int converter
    register_blueprints(app)
    register_template_globals(app)
    register_error_handlers(app)
    register_cli(app)
    return app


YOUNG_GENERATION_ALLOCATIONS = 7000


def freeze_start_up_objects() -> None:
    """Leave what a process built at start-up (modules, mappers, the URL map, compiled templates: about
    250,000 objects) out of the garbage collector's passes. They live as long as the process anyway; a
    full pass walked them all whenever a request had made many objects, and a city's appointment page
    (30,000 rows of answers) took 306–356 ms at the median against 179–220 ms frozen. Called once, by the
    process's entry point after ``create_app`` (``wsgi.py``; the page benchmarks, to measure the same).

    The youngest generation is then collected every ``YOUNG_GENERATION_ALLOCATIONS`` container
    allocations instead of Python's 700, and each older one every 20 passes of the one before instead
    of 10. A page makes tens of thousands of short-lived objects (rows, ORM states, template output)
    that reference counting frees: the frequent passes found nothing to collect, yet moved the objects
    of the page being built on to the oldest generation, whose full passes took about 45 ms each.
    Measured over 420 requests to a district's coordinator pages: the collector's time per request
    1.6 ms of about 20 ms with Python's thresholds (8 full passes), 0.5 ms with these (none)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_ALLOCATIONS, 20, 20)


def register_logging(app: Flask) -> None:
    from app.observability import configure_logging

    configure_logging(app)


def register_extensions(app: Flask) -> None:
    # Imported here, not at the top: the feature modules import the unbound extensions.
    from app import models  # noqa: F401  (the metadata must be complete for Alembic)
    from app.auth.services import load_user
    from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from app.i18n import LOGIN_MESSAGE, init_i18n, select_locale
    from app.jobs import queue

    db.init_app(app)
    queue.init_app(app)  # after the database: its teardown runs a command's jobs before the session ends
    migrate.init_app(app, db)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_i18n(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = LOGIN_MESSAGE
    login_manager.localize_callback = str  # the message is lazy: str() renders it in the user's language


def register_blueprints(app: Flask) -> None:
    from app.admin.routes import bp as admin_bp
    from app.agreements.routes import bp as agreements_bp
    from app.appointments.routes import bp as appointments_bp
    from app.audit_log.routes import bp as audit_log_bp
    from app.auth.routes import bp as auth_bp
    from app.coordination.routes import bp as coordination_bp
    from app.groups.routes import bp as groups_bp
    from app.health.routes import bp as health_bp
    from app.intake.routes import bp as intake_bp
    from app.legal.routes import bp as legal_bp
    from app.main.routes import bp as main_bp
    from app.matches.routes import bp as matches_bp
    from app.notifications.routes import bp as notifications_bp
    from app.operations.routes import bp as jobs_bp
    from app.privacy.routes import bp as privacy_bp
    from app.refugees.routes import bp as refugees_bp
    from app.staff.routes import bp as staff_bp
    from app.two_factor.routes import bp as two_factor_bp
    from app.volunteers.routes import bp as volunteers_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(two_factor_bp, url_prefix="/auth/two-factor")
    app.register_blueprint(intake_bp, url_prefix="/welcome")
    app.register_blueprint(volunteers_bp, url_prefix="/volunteers")
    app.register_blueprint(refugees_bp, url_prefix="/refugees")
    app.register_blueprint(coordination_bp, url_prefix="/coordination")
    app.register_blueprint(groups_bp, url_prefix="/groups")
    app.register_blueprint(matches_bp, url_prefix="/matching")
    app.register_blueprint(agreements_bp, url_prefix="/sponsorships")
    app.register_blueprint(appointments_bp, url_prefix="/appointments")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(staff_bp, url_prefix="/staff")
    app.register_blueprint(jobs_bp, url_prefix="/admin/jobs")
    app.register_blueprint(audit_log_bp, url_prefix="/audit")
    app.register_blueprint(health_bp)
    app.register_blueprint(notifications_bp, url_prefix="/inbox")
    app.register_blueprint(privacy_bp)
    app.register_blueprint(legal_bp)


def register_template_globals(app: Flask) -> None:
    from app.template_globals import register_template_globals as register

    register(app)


def register_error_handlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_cli(app: Flask) -> None:
    from app.cli import register
    from app.privacy.cli import register as register_privacy

    register(app)
    register_privacy(app)
