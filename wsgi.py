"""Entry point for ``flask --app wsgi`` and ``gunicorn wsgi:app``."""

import os

from app import create_app, freeze_start_up_objects
from config import CONFIGS

app = create_app(CONFIGS[os.environ.get("BRUECKENBAU_CONFIG", "development")])
freeze_start_up_objects()
