import pytest
from django.test import Client

from samverkan.directory.middleware import SESSION_KEY
from samverkan.directory.tests.factories import actor_of

from .factories import Setting


@pytest.fixture
def setting(db):
    return Setting()


@pytest.fixture
def as_actor():
    return actor_of


@pytest.fixture
def client_for():
    def _client(membership):
        client = Client()
        client.force_login(membership.user)
        session = client.session
        session[SESSION_KEY] = membership.pk
        session.save()
        return client

    return _client
