"""Fake GHN and GHTK servers for tests that go through the API: the deployment's carrier base URLs
point at them for the test (the app reads them from settings at each call)."""
from dataclasses import replace

import pytest

from chalicelib.core.settings import settings
from tests.fakes.server import FakeServer
from tests.integration.carriers.fakes import FakeGhn, FakeGhtk


@pytest.fixture
def fakes(monkeypatch):
    ghn, ghtk = FakeGhn(), FakeGhtk()
    with FakeServer(ghn) as ghn_server, FakeServer(ghtk) as ghtk_server:
        monkeypatch.setattr("chalicelib.carriers.accounts.settings",
                            replace(settings, ghn_api_base=ghn_server.url, ghtk_api_base=ghtk_server.url,
                                    public_base_url="https://api.quay.test"))
        yield {"ghn": ghn, "ghtk": ghtk, "ghn_server": ghn_server, "ghtk_server": ghtk_server}
