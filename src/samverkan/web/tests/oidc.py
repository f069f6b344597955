"""The test OpenID Provider: the certified `oidc-provider` package on Node, started on
loopback (web/tests/oidc_provider/provider.mjs), and a user agent that logs in through
it the way a browser would. Used by the login tests, the journey test and `.ci/run`'s
production-stack check; never mocked.

Node and the package's locked dependencies are installed by `.ci/run` (`npm ci`); run
locally, the first use runs `npm ci` itself. Without Node the tests are skipped locally
and fail when `CI` is set.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

PROVIDER_DIR = Path(__file__).parent / "oidc_provider"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
HSA_CLAIM = "https://id.oidc.se/claim/hsaId"
EIDAS_SUB = "http://id.elegnamnden.se/loa/1.0/eidas-sub"
EIDAS_HIGH = "http://id.elegnamnden.se/loa/1.0/eidas-high"
EIDAS_LOW = "http://id.elegnamnden.se/loa/1.0/eidas-low"
CLIENT_ID = "samverkan"
CLIENT_SECRET = "test-client-secret-never-used-anywhere-else"


class ProviderUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_installed() -> str:
    """The path of `node`, with the provider's dependencies installed from the lock."""
    node = shutil.which("node")
    if node is None:
        raise ProviderUnavailable("node is not installed (apt-get install nodejs npm)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise ProviderUnavailable("npm is not installed (apt-get install npm)")
        subprocess.run(  # noqa: S603
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PROVIDER_DIR,
            check=True,
            timeout=300,
        )
    return node


def account(personnummer: str = "", *, hsa_id: str = "", email: str = "", name: str = "") -> dict:
    claims: dict = {}
    if personnummer:
        claims[PNR_CLAIM] = personnummer
    if hsa_id:
        claims[HSA_CLAIM] = hsa_id
    if email:
        claims["email"] = email
        claims["email_verified"] = True
    if name:
        claims["name"] = name
    return claims


def eidas_account(prid: str, *, country: str, name: str, mapped_personnummer: str = "") -> dict:
    """A person with a foreign eID as the Swedish eIDAS node vouches for them: the
    provisional id (``"DE:..."``), the eIDAS identifier, the country, and the Swedish
    number the node has bound to them, if any. Never a personalIdentityNumber."""
    claims = {
        "https://id.oidc.se/claim/prid": prid,
        "https://id.oidc.se/claim/pridPersistence": "A",
        "https://id.oidc.se/claim/eidasPersonIdentifier": f"{country}/SE/{prid.split(':')[-1]}",
        "https://id.oidc.se/claim/country": country,
        "birthdate": "1985-04-02",
        "name": name,
    }
    if mapped_personnummer:
        claims["https://id.oidc.se/claim/mappedPersonalIdentityNumber"] = mapped_personnummer
    return claims


@dataclass
class Provider:
    """A running provider. ``accounts`` maps the login name typed on its page to the
    claims it vouches for."""

    issuer: str
    process: subprocess.Popen
    config_path: Path
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def write_config(
    path: Path,
    *,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str] | None = None,
    accounts: dict[str, dict],
    mode: str = "normal",
    client_id: str = CLIENT_ID,
    client_secret: str = CLIENT_SECRET,
    backchannel_logout_uri: str = "",
) -> None:
    """The provider's configuration file: one client (Samverkan) and its accounts.
    With ``backchannel_logout_uri``, the provider sends a logout token there (with the
    session id, ``sid``) when a person's session at the provider ends."""
    backchannel = (
        {
            "backchannel_logout_uri": backchannel_logout_uri,
            "backchannel_logout_session_required": True,
        }
        if backchannel_logout_uri
        else {}
    )
    path.write_text(
        json.dumps(
            {
                "mode": mode,
                "accounts": accounts,
                "clients": [
                    {
                        "client_id": client_id,
                        "client_secret": client_secret,
                        "redirect_uris": redirect_uris,
                        "post_logout_redirect_uris": post_logout_redirect_uris or [],
                        **backchannel,
                        "token_endpoint_auth_method": "client_secret_post",
                        "id_token_signed_response_alg": "RS256",
                        "grant_types": ["authorization_code"],
                        "response_types": ["code"],
                    }
                ],
            }
        )
    )


@contextlib.contextmanager
def running_provider(
    *,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str] | None = None,
    accounts: dict[str, dict],
    mode: str = "normal",
    port: int | None = None,
    backchannel_logout_uri: str = "",
    trust_certificate: str = "",
    client_id: str = CLIENT_ID,
    client_secret: str = CLIENT_SECRET,
) -> Iterator[Provider]:
    """``trust_certificate``: a PEM file the provider trusts when it calls the client
    (the back-channel logout to a client with a self-signed certificate)."""
    node = ensure_installed()
    port = port or free_port()
    folder = Path(tempfile.mkdtemp(prefix="samverkan-op-"))
    config_path = folder / "config.json"
    write_config(
        config_path,
        redirect_uris=redirect_uris,
        post_logout_redirect_uris=post_logout_redirect_uris,
        accounts=accounts,
        mode=mode,
        backchannel_logout_uri=backchannel_logout_uri,
        client_id=client_id,
        client_secret=client_secret,
    )
    env = dict(os.environ)
    if trust_certificate:
        env["NODE_EXTRA_CA_CERTS"] = trust_certificate
    log_path = folder / "provider.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [
                node,
                str(PROVIDER_DIR / "provider.mjs"),
                "--port",
                str(port),
                "--config",
                str(config_path),
            ],
            cwd=PROVIDER_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    provider = Provider(f"http://127.0.0.1:{port}", process, config_path, log_path)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(
                    f"{provider.issuer}/.well-known/openid-configuration", timeout=2
                ).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise ProviderUnavailable(f"the test provider did not start:\n{provider.log()}")
            time.sleep(0.1)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(folder, ignore_errors=True)


# A user agent at the provider ---------------------------------------------------------

_FORM = re.compile(r"<form[^>]*action=\"([^\"]+)\"", re.IGNORECASE)
_HIDDEN = re.compile(
    r"<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", re.IGNORECASE
)


@dataclass
class ProviderBrowser:
    """What the person does at the provider: open the authorisation URL, identify
    themself (the login page), and come back to the client's redirect URI. Keeps the
    provider's cookies, so a second login is single sign-on."""

    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        self.session.trust_env = False  # loopback: no proxy from the environment

    def follow(self, url: str, *, until: str, method: str = "GET", data=None) -> str:
        """Follow redirects from ``url`` until one points at ``until`` (returned);
        returns the HTML of a page that is not a redirect as ``"page:" + html``."""
        for _ in range(20):
            response = self.session.request(
                method, url, data=data, allow_redirects=False, timeout=10
            )
            if response.status_code in (301, 302, 303, 307, 308):
                url = urljoin(url, response.headers["Location"])
                method, data = "GET", None
                if url.startswith(until):
                    return url
                continue
            response.raise_for_status()
            self.last_url = url
            return "page:" + response.text
        raise AssertionError("too many redirects at the provider")

    def authorise(self, authorize_url: str, *, login: str, acr: str = LOA3, until: str) -> str:
        """From the client's redirect to the provider to the client's redirect URI with
        ``code`` and ``state``. Returns that URL."""
        result = self.follow(authorize_url, until=until)
        if result.startswith("page:"):
            html = result[5:]
            action = _FORM.search(html)
            assert action, f"no login form at the provider: {html[:500]}"
            result = self.follow(
                urljoin(self.last_url, unescape(action.group(1))),
                until=until,
                method="POST",
                data={"login": login, "acr": acr},
            )
        assert not result.startswith("page:"), f"the provider did not redirect: {result[:800]}"
        return result

    def end_session(self, url: str, *, until: str) -> str:
        """The provider's logout page: confirm it (its form posts ``logout=yes``)."""
        result = self.follow(url, until=until)
        if result.startswith("page:"):
            html = result[5:]
            action = _FORM.search(html)
            assert action, f"no logout form at the provider: {html[:500]}"
            fields = {name: unescape(value) for name, value in _HIDDEN.findall(html)}
            fields["logout"] = "yes"
            result = self.follow(
                urljoin(self.last_url, unescape(action.group(1))),
                until=until,
                method="POST",
                data=fields,
            )
        return result


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def main(argv: list[str] | None = None) -> int:
    """`python -m samverkan.web.tests.oidc CONFIG_FILE --redirect-base URL`: write the
    provider's configuration for the journey's accounts (used by `.ci/run`), then start
    it with `node provider.mjs --port N --config CONFIG_FILE` (with NODE_EXTRA_CA_CERTS
    naming Samverkan's certificate, for the back-channel logout)."""
    import argparse

    from . import journey

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("config")
    parser.add_argument("--redirect-base", required=True, help="e.g. https://127.0.0.1:8443")
    args = parser.parse_args(argv)
    base = args.redirect_base.rstrip("/")
    write_config(
        Path(args.config),
        redirect_uris=[f"{base}{journey.CALLBACK}"],
        post_logout_redirect_uris=[f"{base}/logga-in/"],
        accounts=journey.provider_accounts(),
        backchannel_logout_uri=f"{base}{journey.BACKCHANNEL}",
    )
    ensure_installed()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
