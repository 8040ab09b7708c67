"""/healthz: the process answers. /readyz: it can serve (database, migrations, queue, daily tasks)."""

from flask import Blueprint, jsonify

from app.extensions import limiter
from app.health.services import readiness

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@limiter.exempt
def alive():
    return jsonify(status="ok")


@bp.route("/readyz")
@limiter.exempt
def ready():
    checks = readiness()
    ok = all(check["ok"] for check in checks.values())
    return jsonify(status="ready" if ok else "not ready", checks=checks), 200 if ok else 503
