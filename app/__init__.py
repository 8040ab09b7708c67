"""Brückenbau: coordinating volunteers for refugee integration.

``create_app`` builds the Flask application; nothing here touches the
database at import time.
"""

import os

from flask import Flask

from app.security import register_security
from config import Config, DevelopmentConfig


def create_app(config_class: type[Config] = DevelopmentConfig) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    # The development database lives in instance/, which a fresh clone lacks.
    os.makedirs(app.instance_path, exist_ok=True)
    config_class.init_app(app)
    register_extensions(app)
    register_security(app)  # before the blueprints: it replaces the URL map's int converter
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    # Imported here, not at the top: the feature modules import the unbound extensions.
    from app import models  # noqa: F401  (the metadata must be complete for Alembic)
    from app.auth.services import load_user
    from app.extensions import babel, csrf, db, limiter, login_manager, mail, migrate
    from app.i18n import LOGIN_MESSAGE, init_i18n, select_locale

    db.init_app(app)
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
    from app.auth.routes import bp as auth_bp
    from app.coordination.routes import bp as coordination_bp
    from app.groups.routes import bp as groups_bp
    from app.intake.routes import bp as intake_bp
    from app.main.routes import bp as main_bp
    from app.matches.routes import bp as matches_bp
    from app.refugees.routes import bp as refugees_bp
    from app.volunteers.routes import bp as volunteers_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(intake_bp, url_prefix="/welcome")
    app.register_blueprint(volunteers_bp, url_prefix="/volunteers")
    app.register_blueprint(refugees_bp, url_prefix="/refugees")
    app.register_blueprint(coordination_bp, url_prefix="/coordination")
    app.register_blueprint(groups_bp, url_prefix="/groups")
    app.register_blueprint(matches_bp, url_prefix="/matching")
    app.register_blueprint(agreements_bp, url_prefix="/sponsorships")
    app.register_blueprint(admin_bp, url_prefix="/admin")


def register_error_handlers(app: Flask) -> None:
    from app.errors import register

    register(app)


def register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
