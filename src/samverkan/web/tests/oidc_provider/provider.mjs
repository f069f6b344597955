// A real OpenID Provider for the test suite: the certified `oidc-provider` package,
// started on loopback by the Python tests (web/tests/oidc.py) and by `.ci/run`.
// Never deployed. Everything comes from the command line and one JSON file:
//
//   node provider.mjs --port 9123 --config /tmp/op.json
//
// The config file: {"clients": [client metadata...], "accounts": {"<id>": {claims}},
// "mode": "normal"}. The login page (an "interaction" in oidc-provider's terms) asks for
// an account id and the level of assurance (acr) to claim, as an e-legitimation provider
// would after the person used their card or app; consent is given automatically.
//
// `mode` makes the provider misbehave on purpose, so that the tests can show that
// Samverkan refuses what a broken or hostile provider sends (each is a real token from
// this provider's real code flow, changed in one respect):
//   normal           as it should be
//   wrong_audience   the ID token is issued to another client ("aud")
//   expired          the ID token expired an hour ago
//   wrong_nonce      the ID token carries another nonce than the one asked for
//   bad_signature    the ID token's signature is damaged

import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, config: { type: 'string' } },
});
const port = Number(args.port);
const config = JSON.parse(readFileSync(args.config, 'utf8'));
const mode = config.mode || 'normal';
const issuer = `http://127.0.0.1:${port}`;
const accounts = config.accounts || {};

// The Swedish profile's claim for the personnummer, and an HSA-id claim (names as in
// Samverkan's default settings; see docs/operations.md).
const PNR = 'https://id.oidc.se/claim/personalIdentityNumber';
const HSA = 'https://id.oidc.se/claim/hsaId';
// A foreign eID through the Swedish eIDAS node (Sweden Connect): the number the node
// has bound to the person (if any), the provisional id, the eIDAS identifier, the
// country. An account with these claims logs in as eIDAS would (acr eidas-sub/high).
const MAPPED_PNR = 'https://id.oidc.se/claim/mappedPersonalIdentityNumber';
const EIDAS = [
  'https://id.oidc.se/claim/prid',
  'https://id.oidc.se/claim/pridPersistence',
  'https://id.oidc.se/claim/eidasPersonIdentifier',
  'https://id.oidc.se/claim/country',
  'birthdate',
];
const EIDAS_ACRS = [
  'http://id.elegnamnden.se/loa/1.0/eidas-low',
  'http://id.elegnamnden.se/loa/1.0/eidas-sub',
  'http://id.elegnamnden.se/loa/1.0/eidas-high',
];

const provider = new Provider(issuer, {
  clients: config.clients,
  // An ephemeral signing key, made at start: a fresh RS256 key per run.
  jwks: { keys: [signingKey()] },
  acrValues: ['http://id.elegnamnden.se/loa/1.0/loa2', 'http://id.elegnamnden.se/loa/1.0/loa3', ...EIDAS_ACRS],
  claims: {
    openid: ['sub', 'acr', 'auth_time', 'sid'],
    email: ['email', 'email_verified'],
    // Where a provider puts the HSA-id differs; here it comes with the profile.
    profile: ['name', 'given_name', 'family_name', HSA, ...EIDAS],
    'https://id.oidc.se/scope/naturalPersonNumber': [PNR, MAPPED_PNR],
  },
  scopes: ['openid', 'email', 'profile', 'https://id.oidc.se/scope/naturalPersonNumber'],
  // Put the claims in the ID token too (Samverkan reads them from there).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: { enabled: true },
    backchannelLogout: { enabled: true },
  },
  // Back-channel logout tokens go to the client's backchannel_logout_uri. oidc-provider
  // refuses outgoing requests to loopback addresses (its protection against server-side
  // request forgery); this test provider and its client both live on 127.0.0.1, so its
  // requests go out without that dispatcher. A client served over HTTPS with a
  // self-signed certificate is trusted through NODE_EXTRA_CA_CERTS (web/tests/stack.py).
  fetch: (url, options) => {
    const { dispatcher, ...rest } = options;
    return globalThis.fetch(url, rest);
  },
  ttl: { IdToken: 300, AccessToken: 300, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  cookies: { keys: ['samverkan-test-provider-only'] },
  renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Fel</title><h1>Fel</h1><pre>${escape(JSON.stringify(out))}</pre>`;
  },
});
// Plain http on loopback: allowed by oidc-provider only when told it is behind no proxy
// and in development; the tests never leave 127.0.0.1.
provider.proxy = false;

const originalIssue = provider.IdToken.prototype.issue;
const originalSet = provider.IdToken.prototype.set;
provider.IdToken.prototype.set = function set(key, value) {
  if (mode === 'wrong_nonce' && key === 'nonce') return originalSet.call(this, key, `${value}-other`);
  return originalSet.call(this, key, value);
};
provider.IdToken.prototype.issue = async function issue(options = {}) {
  if (options.use !== 'idtoken' || mode === 'normal' || mode === 'wrong_nonce') {
    return originalIssue.call(this, options);
  }
  if (mode === 'wrong_audience') {
    const client = this.client;
    this.client = new Proxy(client, {
      get: (target, prop) => (prop === 'clientId' ? 'another-client' : Reflect.get(target, prop)),
    });
    try { return await originalIssue.call(this, options); } finally { this.client = client; }
  }
  if (mode === 'expired') {
    const now = Math.floor(Date.now() / 1000);
    this.set('iat', now - 7200);
    return originalIssue.call(this, { ...options, expiresAt: now - 3600 });
  }
  if (mode === 'bad_signature') {
    const token = await originalIssue.call(this, options);
    const [h, p, s] = token.split('.');
    const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    return [h, p, flipped].join('.');
  }
  return originalIssue.call(this, options);
};

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginPage(uid, error = '') {
  const options = Object.keys(accounts)
    .map((id) => `<option value="${escape(id)}">${escape(id)}</option>`)
    .join('');
  return `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Testleverantör – logga in</title></head>
<body><main><h1>Testleverantör av e-legitimation</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Konto</label> <input id="login" name="login" list="accounts" autocomplete="off">
<datalist id="accounts">${options}</datalist>
<label for="acr">Tillitsnivå</label>
<select id="acr" name="acr">
<option value="http://id.elegnamnden.se/loa/1.0/loa3">LoA 3</option>
<option value="http://id.elegnamnden.se/loa/1.0/loa2">LoA 2</option>
${EIDAS_ACRS.map((acr) => `<option value="${acr}">${acr.split('/').pop()}</option>`).join('')}
</select>
<button type="submit">Legitimera</button>
</form></main></body></html>`;
}

const callback = provider.callback();

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, issuer);
    const match = url.pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
    if (!match) return callback(req, res);
    const details = await provider.interactionDetails(req, res);
    const { uid, prompt, params } = details;
    if (prompt.name === 'login') {
      if (req.method === 'GET') {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(loginPage(uid));
      }
      const form = await readForm(req);
      const login = form.get('login') || '';
      if (!accounts[login]) {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        return res.end(loginPage(uid, `Okänt konto: ${login}`));
      }
      return provider.interactionFinished(req, res, {
        login: { accountId: login, acr: form.get('acr') || undefined },
      }, { mergeWithLastSubmission: false });
    }
    if (prompt.name === 'consent') {
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    res.statusCode = 400;
    return res.end('unknown prompt');
  } catch (error) {
    res.statusCode = 500;
    res.end(String(error && error.stack ? error.stack : error));
  }
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc-provider listening on ${issuer} (mode ${mode})\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
