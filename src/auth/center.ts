import { fail } from '../shared/errors'
import { log } from '../shared/log'
import { Lockout } from './lockout'
import { hashPassword, randomPassword } from './passwords'
import type { AuthStore } from './store'
import { passwordVersion, TokenService } from './tokens'
import { ADMIN_ROLE, checkCredentials, checkNewPassword, checkUsername, hasUsers, isAdmin } from './users'

/** What the auth verbs work on. */
export interface Auth {
  /** Users, roles and grants (a snapshot in memory on a shared database). */
  store: AuthStore
  tokens: TokenService
  lockout: Lockout
  /** Whether SDK and OpenAPI requests must authenticate (BNACOS_AUTH_ENABLED); management APIs always do. */
  enabled: boolean
}

/** The login reply every SDK parses: `tokenTtl` must be a number (Go panics otherwise, Java and Rust fail). */
export interface LoginResult {
  accessToken: string
  tokenTtl: number
  globalAdmin: boolean
  username: string
}

/** Options of the auth center. */
export interface AuthOptions {
  enabled: boolean
  tokenKey: Uint8Array
  tokenTtlSeconds: number
  lockFailures: number
  lockMs: number
  now?: () => number
}

/** Builds the auth center. */
export function createAuth(store: AuthStore, o: AuthOptions): Auth {
  return { store, enabled: o.enabled, tokens: new TokenService(o.tokenKey, o.tokenTtlSeconds, o.now), lockout: new Lockout(o.lockFailures, o.lockMs, o.now) }
}

/**
 * Creates the first admin when there are no users: the given name (default `nacos`) with the given password, or a
 * random one written once to the log. There is no built-in default password (Nacos ≤ 2.x shipped nacos/nacos).
 */
export async function bootstrapAdmin(auth: Auth, username = 'nacos', password?: string): Promise<void> {
  if (await hasUsers(auth.store)) return
  const name = checkUsername(username)
  const pw = password ? checkNewPassword(password) : randomPassword()
  const hash = await hashPassword(pw)
  // Nodes of a cluster starting together on an empty database race here: only one creates the admin.
  if (!(await auth.store.bootstrap({ username: name, password: hash, enabled: true }, ADMIN_ROLE))) return
  if (password) log.info('admin user created', { username: name })
  else log.warn('admin user created with a random password; change it after logging in', { username: name, password: pw })
}

/** Logs in (Nacos /v1/auth/users/login): a token, or 403 with Nacos's message; repeated failures lock. */
export async function login(auth: Auth, username: string | undefined, password: string | undefined, ip: string): Promise<LoginResult> {
  const name = await authenticate(auth, username, password, ip)
  return { accessToken: await auth.tokens.issue(name, passwordVersion((await storedHash(auth, name)) ?? '')), tokenTtl: auth.tokens.ttlSeconds, globalAdmin: await isAdmin(auth.store, name), username: name }
}

/** Checks a username and password with brute-force protection; returns the name or throws 403. */
export async function authenticate(auth: Auth, username: string | undefined, password: string | undefined, ip: string): Promise<string> {
  const name = username?.trim() ?? ''
  if (!name || !password) throw fail.forbidden('User not found! Please check user exist or password is right!')
  const wait = auth.lockout.lockedFor(name, ip)
  if (wait > 0) throw fail.forbidden(`too many failed logins; try again in ${Math.ceil(wait / 1000)} s`)
  if (!(await checkCredentials(auth.store, name, password))) {
    auth.lockout.fail(name, ip)
    throw fail.forbidden('User not found! Please check user exist or password is right!')
  }
  auth.lockout.succeed(name)
  return name
}

/** Where a request's identity may travel (HTTP and gRPC adapters fill in what they found). */
export interface Carriers {
  token?: string
  username?: string
  password?: string
  ip: string
}

/**
 * Works out who is calling: a token (Bearer or accessToken), or username + password on the request itself (the
 * Node SDK never logs in). Throws 403 with Nacos's messages; never trusts User-Agent or identity headers.
 */
export async function identify(auth: Auth, c: Carriers): Promise<string> {
  if (c.token) {
    const r = await auth.tokens.verify(c.token)
    if ('error' in r) throw fail.forbidden(r.error === 'expired' ? 'token expired!' : 'token invalid!')
    const hash = await storedHash(auth, r.username)
    if (hash === undefined) throw fail.forbidden('user not found!')
    // Tokens from before `pwv` existed carry none; they are accepted until they expire.
    if (r.pwv !== undefined && r.pwv !== passwordVersion(hash)) throw fail.forbidden('token invalid!')
    return r.username
  }
  if (c.username && c.password) return authenticate(auth, c.username, c.password, c.ip)
  throw fail.forbidden('user not found!')
}

async function storedHash(auth: Auth, name: string): Promise<string | undefined> {
  return (await auth.store.user(name))?.password
}
