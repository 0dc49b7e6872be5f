// A real OpenID Connect provider for the sign-in tests, built on the OpenID-certified npm
// package `oidc-provider` (a devDependency in package.json). Nothing here is mocked: the
// Django side runs the full authorization-code flow against it, with RS256 keys made at start.
//
//   node tests/oidc/provider.mjs --client-id forankring --client-secret s3cret \
//     --redirect-uri http://localhost:8000/oidc/callback/ \
//     --post-logout-redirect-uri http://localhost:8000/log-ind/ [--accounts accounts.json]
//
// Every option can also come from the environment (OIDC_TEST_CLIENT_ID, ..._CLIENT_SECRET,
// ..._REDIRECT_URI, ..._POST_LOGOUT_REDIRECT_URI, ..._ACCOUNTS, ..._PORT). It listens on
// 127.0.0.1 on a free port (or --port) and prints the issuer URL on stdout, alone on a line,
// once it is ready; everything else goes to stderr.
//
// Accounts: a JSON object {"<login>": {"password": "...", "claims": {"sub": ..., ...}}}. The
// file is read again on every use, so a test can change someone's claims between two sign-ins.
// Like Entra ID and OS2faktor, the `roles` claim is put in the ID token only, not in userinfo;
// the other claims are in both.
//
// The login page is a plain HTML form (no script), so a headless browser or plain HTTP can fill
// it in. Consent is given automatically: the one client is the municipality's own application.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    'client-id': { type: 'string', default: process.env.OIDC_TEST_CLIENT_ID || 'forankring-test' },
    'client-secret': { type: 'string', default: process.env.OIDC_TEST_CLIENT_SECRET || '' },
    'redirect-uri': { type: 'string', multiple: true, default: envList('OIDC_TEST_REDIRECT_URI') },
    'post-logout-redirect-uri': {
      type: 'string', multiple: true, default: envList('OIDC_TEST_POST_LOGOUT_REDIRECT_URI'),
    },
    accounts: { type: 'string', default: process.env.OIDC_TEST_ACCOUNTS || '' },
    port: { type: 'string', default: process.env.OIDC_TEST_PORT || '0' },
  },
});

function envList(name) {
  return (process.env[name] || '').split(',').map((s) => s.trim()).filter(Boolean);
}

if (!args['client-secret'] || args['redirect-uri'].length === 0) {
  process.stderr.write('provider.mjs: --client-secret and --redirect-uri are required\n');
  process.exit(2);
}

// Used when no --accounts file is given: the four kinds of people the tests need.
const DEFAULT_ACCOUNTS = {
  'anders.admin': {
    password: 'test-password',
    claims: {
      sub: 'sub-anders-admin', name: 'Anders Admin', email: 'anders.admin@kommune.test',
      email_verified: true, employee_id: 'SSO-ADMIN', roles: ['Forankring.Admin'],
    },
  },
  'erik.medarbejder': {
    password: 'test-password',
    claims: {
      sub: 'sub-erik-medarbejder', name: 'Erik Medarbejder', email: 'erik@kommune.test',
      email_verified: true, employee_id: 'SSO-EMP', roles: ['Forankring.Medarbejder'],
    },
  },
  'uden.rolle': {
    password: 'test-password',
    claims: {
      sub: 'sub-uden-rolle', name: 'Ulla Uden Rolle', email: 'ulla@kommune.test',
      email_verified: true, employee_id: 'SSO-UNMAPPED', roles: ['Andet.System'],
    },
  },
  'ukendt.person': {
    password: 'test-password',
    claims: {
      sub: 'sub-ukendt', name: 'Ukendt Person', email: 'ukendt@andet.test',
      email_verified: true, employee_id: 'X-999', roles: ['Forankring.Admin'],
    },
  },
};

function accounts() {
  if (!args.accounts) return DEFAULT_ACCOUNTS;
  return JSON.parse(readFileSync(args.accounts, 'utf8'));
}

function accountBySub(sub) {
  return Object.values(accounts()).find((a) => a.claims.sub === sub);
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body) {
  return `<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

function loginForm(uid, error = '') {
  return page('Kommunens log-ind (test)', `
${error ? `<p role="alert" id="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${escape(uid)}/login">
  <p><label for="login">Brugernavn</label> <input id="login" name="login" autocomplete="username" required></p>
  <p><label for="password">Adgangskode</label>
     <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Log ind</button></p>
</form>
<p><a href="/interaction/${escape(uid)}/abort">Afbryd</a></p>`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk) => {
      data += chunk;
      if (data.length > 10000) reject(new Error('body too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(data)));
    req.on('error', reject);
  });
}

// The issuer needs the port, so the server listens first and the provider is made after.
let provider;
const server = createServer(async (req, res) => {
  try {
    const match = /^\/interaction\/([^/?]+)(\/login|\/abort)?(?:\?.*)?$/.exec(req.url);
    if (!match) {
      provider.callback()(req, res);
      return;
    }
    const [, uid, action] = match;
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction does not match');
    if (action === '/abort') {
      await provider.interactionFinished(req, res, {
        error: 'access_denied', error_description: 'The person cancelled the sign-in',
      }, { mergeWithLastSubmission: false });
      return;
    }
    if (action === '/login' && req.method === 'POST') {
      const form = await readBody(req);
      const account = accounts()[form.get('login') || ''];
      if (!account || account.password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(loginForm(uid, 'Forkert brugernavn eller adgangskode.'));
        return;
      }
      await provider.interactionFinished(req, res, {
        login: { accountId: account.claims.sub },
      }, { mergeWithLastSubmission: false });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(loginForm(uid));
  } catch (error) {
    process.stderr.write(`provider.mjs: ${error.stack || error}\n`);
    if (!res.headersSent) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(String(error.message || error));
    }
  }
});

server.listen(Number(args.port), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', use: 'sig', alg: 'RS256' };

  provider = new Provider(issuer, {
    clients: [{
      client_id: args['client-id'],
      client_secret: args['client-secret'],
      redirect_uris: args['redirect-uri'],
      post_logout_redirect_uris: args['post-logout-redirect-uri'],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
      id_token_signed_response_alg: 'RS256',
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'employee_id', 'roles'],
    },
    // Scope claims go in the ID token as well as userinfo, as Entra ID and OS2faktor do.
    conformIdTokenClaims: false,
    async findAccount(ctx, sub) {
      const account = accountBySub(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims(use) {
          const claims = { ...accountBySub(sub)?.claims };
          if (use !== 'id_token') delete claims.roles;
          return claims;
        },
      };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope(ctx.oidc.params.scope);
      await grant.save();
      return grant;
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // The package's own pages load web fonts from the internet; these load nothing.
        async logoutSource(ctx, form) {
          ctx.body = page('Log ud af kommunens log-ind (test)', `${form}
<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, log mig ud</button></p>`);
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Du er logget ud (test)', '');
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Fejl (test)', `<pre>${escape(JSON.stringify(out))}</pre>`);
    },
  });
  provider.on('server_error', (ctx, error) => process.stderr.write(`provider.mjs: ${error.stack}\n`));
  process.stdout.write(`${issuer}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
