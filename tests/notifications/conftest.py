import pytest


@pytest.fixture
def sms_outbox(app) -> list:
    """SMS sent during the test as (number, text), kept by the locmem backend."""
    app.extensions["sms_outbox"] = []
    return app.extensions["sms_outbox"]
