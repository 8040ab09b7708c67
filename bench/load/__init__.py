"""Load benchmark: gunicorn and PostgreSQL holding a district, driven by locust (see ``__main__``)."""
