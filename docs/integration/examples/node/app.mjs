// A small web application that signs people in with a Hitotsu realm: openid-client for the
// login, the tokens and logout, jose for back-channel logout tokens, node:http for the rest.
// docs/integration/node.md explains it; process/NodeGuideIT runs it against Hitotsu.
import { createServer } from 'node:http'
import { randomBytes } from 'node:crypto'
import * as client from 'openid-client'
import * as jose from 'jose'

const settings = {
  issuer: new URL(required('ISSUER')),
  clientId: required('CLIENT_ID'),
  clientSecret: required('CLIENT_SECRET'),
  baseUrl: new URL(process.env.BASE_URL ?? 'http://127.0.0.1:3000'),
  scope: process.env.SCOPE ?? 'openid profile email organization',
  host: process.env.HOST ?? '127.0.0.1',
}
settings.port = Number(process.env.PORT || settings.baseUrl.port || 3000)
const redirectUri = new URL('/callback', settings.baseUrl).href
const postLogoutRedirectUri = new URL('/logged-out', settings.baseUrl).href

function required(name) {
  const value = process.env[name]
  if (!value) {
    console.error(`Set ${name} (see docs/integration/node.md)`)
    process.exit(2)
  }
  return value
}

const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(settings.issuer.hostname)

// Discovery: every endpoint and the realm's keys come from
// ${ISSUER}/.well-known/openid-configuration.
// The client authenticates as the realm registers it: client_secret_basic.
const config = await client.discovery(settings.issuer, settings.clientId, undefined,
  client.ClientSecretBasic(settings.clientSecret), {
  execute: [
    // The ID token arrives straight from the token endpoint, but check its signature against
    // the realm's JWKS anyway: openid-client 6 does so only when asked.
    client.enableNonRepudiationChecks,
    // plain http only for a Hitotsu on this machine (development, tests); https otherwise
    ...(loopback ? [client.allowInsecureRequests] : []),
  ],
})
const metadata = config.serverMetadata()
const realmKeys = jose.createRemoteJWKSet(new URL(metadata.jwks_uri))

// Sessions of this application, in memory: one process. With several, keep them in a shared
// store (and let back-channel logout find them there by sid).
const sessions = new Map()
const COOKIE = 'node_example_session'

function sessionOf(request) {
  const cookie = (request.headers.cookie ?? '').split(/;\s*/).find((part) => part.startsWith(`${COOKIE}=`))
  return cookie ? sessions.get(cookie.slice(COOKIE.length + 1)) : undefined
}

function newSession(response) {
  const id = randomBytes(32).toString('base64url')
  const session = { id }
  sessions.set(id, session)
  // SameSite=Lax: another site's form cannot post to /logout or /refresh with this cookie
  const secure = settings.baseUrl.protocol === 'https:' ? '; Secure' : ''
  response.setHeader('Set-Cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax${secure}`)
  return session
}

function endSession(session) {
  sessions.delete(session.id)
}

const routes = {
  'GET /': home,
  'GET /login': login,
  'GET /callback': callback,
  'POST /refresh': refresh,
  'POST /logout': logout,
  'GET /logged-out': loggedOut,
  'POST /backchannel-logout': backchannelLogout,
}

createServer(async (request, response) => {
  const url = new URL(request.url, settings.baseUrl)
  const route = routes[`${request.method} ${url.pathname}`]
  try {
    if (!route) {
      return send(response, 404, page('Not found', '<p>No such page.</p>'))
    }
    await route(request, response, url)
  } catch (error) {
    // an answer of the realm the app does not accept (wrong state, refused code, expired
    // refresh token...): say so, never the stack trace
    console.error(`${request.method} ${url.pathname}:`, error)
    const reason = error.error
      ? `${error.error}: ${error.error_description ?? ''}`
      : [error.message, error.cause?.message].filter(Boolean).join(': ')
    send(response, 400, page('Sign-in failed', `<p>${escape(reason)}</p>
      <p><a href="/login">Sign in again</a></p>`))
  }
}).listen(settings.port, settings.host, () => {
  console.log(`Listening on ${settings.baseUrl} for realm ${settings.issuer}`)
})

// The person's page: only with a login, refreshing the tokens when the access token is
// about to expire.
async function home(request, response) {
  const session = sessionOf(request)
  if (!session?.tokens) {
    return redirect(response, '/login')
  }
  if (session.expiresAt - Date.now() < 30_000) {
    await refreshTokens(session)
  }
  const { claims, userInfo } = session
  const roles = claims.roles ?? []
  send(response, 200, page('Signed in', `
    <dl>
      <dt>Name</dt><dd id="name">${escape(userInfo.name ?? claims.preferred_username)}</dd>
      <dt>Subject (sub)</dt><dd id="sub">${escape(claims.sub)}</dd>
      <dt>Roles</dt><dd id="roles">${roles.map(escape).join(', ') || 'none'}</dd>
      <dt>Organisation (org)</dt><dd id="org">${escape(userInfo.org ?? 'none')} ${escape(userInfo.org_name ?? '')}</dd>
      <dt>E-mail</dt><dd id="email">${escape(userInfo.email ?? 'none')}</dd>
      <dt>Access token valid until</dt><dd id="expires">${new Date(session.expiresAt).toISOString()}</dd>
      <dt>Tokens refreshed</dt><dd id="refreshed">${session.refreshed}</dd>
    </dl>
    <form method="post" action="/refresh"><button>Refresh the tokens</button></form>
    <form method="post" action="/logout"><button>Sign out</button></form>`))
}

// To Hitotsu's authorization endpoint: code flow with PKCE (S256), state and nonce, all
// three kept in this browser's session for the callback.
async function login(request, response) {
  const session = newSession(response)
  session.codeVerifier = client.randomPKCECodeVerifier()
  session.state = client.randomState()
  session.nonce = client.randomNonce()
  redirect(response, client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: settings.scope,
    code_challenge: await client.calculatePKCECodeChallenge(session.codeVerifier),
    code_challenge_method: 'S256',
    state: session.state,
    nonce: session.nonce,
  }).href)
}

// Back from Hitotsu: openid-client checks state, exchanges the code with the verifier and
// validates the ID token (signature, iss, aud, exp, nonce).
async function callback(request, response, url) {
  const session = sessionOf(request)
  if (!session?.codeVerifier) {
    return send(response, 400, page('Sign-in failed', '<p>This sign-in did not start here. <a href="/login">Sign in</a></p>'))
  }
  const { codeVerifier, state, nonce } = session
  delete session.codeVerifier
  const tokens = await client.authorizationCodeGrant(config, url, {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  })
  await keep(session, tokens)
  session.refreshed = 0
  redirect(response, '/')
}

async function refresh(request, response) {
  const session = sessionOf(request)
  if (!session?.tokens) {
    return redirect(response, '/login')
  }
  await refreshTokens(session)
  redirect(response, '/')
}

// A refused refresh (invalid_grant) means the login at Hitotsu ended: sign the person out here too.
async function refreshTokens(session) {
  try {
    await keep(session, await client.refreshTokenGrant(config, session.tokens.refresh_token))
    session.refreshed += 1
  } catch (error) {
    endSession(session)
    throw error
  }
}

// The ID token's claims (validated) and UserInfo's, which must be about the same person (sub).
async function keep(session, tokens) {
  session.tokens = { ...session.tokens, ...tokens }
  // a refresh may bring a new ID token: the latest is the id_token_hint at logout
  session.claims = tokens.claims() ?? session.claims
  session.sid = session.claims.sid
  session.expiresAt = Date.now() + tokens.expiresIn() * 1000
  session.userInfo = await client.fetchUserInfo(config, tokens.access_token, session.claims.sub)
}

// RP-initiated logout: end this application's session, then Hitotsu's, which sends the
// browser back to the registered post-logout URI.
async function logout(request, response) {
  const session = sessionOf(request)
  if (!session?.tokens) {
    return redirect(response, '/logged-out')
  }
  endSession(session)
  redirect(response, client.buildEndSessionUrl(config, {
    id_token_hint: session.tokens.id_token,
    post_logout_redirect_uri: postLogoutRedirectUri,
  }).href)
}

async function loggedOut(request, response) {
  send(response, 200, page('Signed out', '<p>You are signed out.</p><p><a href="/login">Sign in</a></p>'))
}

// Back-channel logout (docs/integration/backchannel-logout.md): Hitotsu posts a logout token
// when the person's login ends anywhere; end this application's sessions of that login.
async function backchannelLogout(request, response) {
  const form = new URLSearchParams(await body(request))
  let claims
  try {
    ;({ payload: claims } = await jose.jwtVerify(form.get('logout_token') ?? '', realmKeys, {
      issuer: metadata.issuer,
      audience: settings.clientId,
      typ: 'logout+jwt',
      algorithms: ['RS256', 'ES256'],
      maxTokenAge: '2 minutes',
      clockTolerance: 60,
      requiredClaims: ['iat', 'jti'],
    }))
    if (!claims.events?.['http://schemas.openid.net/event/backchannel-logout']
        || claims.nonce !== undefined || (!claims.sid && !claims.sub)) {
      throw new Error('not a logout token')
    }
  } catch (error) {
    // 400: Hitotsu does not send this token again
    console.error('logout token refused:', error.message)
    return send(response, 400, '', 'text/plain')
  }
  for (const session of sessions.values()) {
    if (claims.sid ? session.sid === claims.sid : session.claims?.sub === claims.sub) {
      endSession(session)
    }
  }
  send(response, 200, '', 'text/plain')
}

function body(request) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    request.on('data', (chunk) => {
      size += chunk.length
      if (size > 64 * 1024) {
        reject(new Error('request body too large'))
        request.destroy()
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

function redirect(response, location) {
  response.writeHead(302, { Location: location, 'Cache-Control': 'no-store' }).end()
}

function send(response, status, content, type = 'text/html; charset=utf-8') {
  response.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    // the sign-out form's redirect goes on to Hitotsu: browsers check form-action there too
    'Content-Security-Policy': `default-src 'none'; form-action 'self' ${settings.issuer.origin}; frame-ancestors 'none'`,
  }).end(content)
}

function page(title, content) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>${content}</main></body></html>`
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
