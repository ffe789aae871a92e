// The security regression suite: each test names a hole Java Nacos shipped and proves bnacos does not have it.
import { beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import { bootstrapAdmin, login } from '../../src/auth/center'
import { grant } from '../../src/auth/permissions'
import { addRole } from '../../src/auth/roles'
import { loadTokenSecret } from '../../src/auth/secret'
import { createUser } from '../../src/auth/users'
import { call, memoryApp } from '../support/memory'

const CFG = '/nacos/v1/cs/configs'
let app: Awaited<ReturnType<typeof memoryApp>>['app']
let reader: string
beforeAll(async () => {
  app = (await memoryApp({ authEnabled: true })).app
  await bootstrapAdmin(app.auth, 'nacos', 'admin-password')
  await createUser(app.auth.store, 'reader', 'reader-password')
  await addRole(app.auth.store, 'readers', 'reader')
  await grant(app.auth.store, 'readers', 'public:*:config/*', 'r')
  reader = (await login(app.auth, 'reader', 'reader-password', '1.1.1.1')).accessToken
})
const read = (extra: Record<string, string> = {}, headers: Record<string, string> = {}) => call(app, 'GET', CFG, { dataId: 'd', group: 'G', ...extra }, { headers })

describe('Nacos security holes, closed', () => {
  test('hard-coded default JWT secret (Nacos ≤ 2.2.0 shipped SecretKey0123…): a token signed with it is refused', async () => {
    const known = new TextEncoder().encode('SecretKey012345678901234567890123456789012345678901234567890123456789')
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('nacos').setExpirationTime('1h').sign(known)
    expect((await read({ accessToken: forged })).text).toBe('token invalid!')
  })

  test('per-installation key: generated at first start, kept private (0600), stable across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnacos-key-'))
    const a = loadTokenSecret(dir)
    expect(statSync(join(dir, 'token.secret')).mode & 0o777).toBe(0o600)
    expect(loadTokenSecret(dir)).toEqual(a)
    expect(loadTokenSecret(mkdtempSync(join(tmpdir(), 'bnacos-key-')))).not.toEqual(a)
  })

  test('CVE-2021-29441 User-Agent whitelist: `Nacos-Server` as User-Agent grants nothing', async () => {
    expect((await read({}, { 'User-Agent': 'Nacos-Server:v2.0.0' })).status).toBe(403)
  })

  test('server identity header (serverIdentity: security, the documented example pair) grants nothing', async () => {
    expect((await read({}, { serverIdentity: 'security' })).status).toBe(403)
  })

  test('default credentials nacos/nacos do not exist', async () => {
    expect((await call(app, 'POST', '/nacos/v1/auth/users/login', { username: 'nacos', password: 'nacos' })).status).toBe(403)
  })

  test('anonymous user creation while auth is off (admins pre-created by attackers) is refused', async () => {
    const open = (await memoryApp({ authEnabled: false })).app
    expect((await call(open, 'POST', '/nacos/v1/auth/users', { username: 'attacker', password: 'attacker-pw' })).status).toBe(403)
    expect((await call(open, 'GET', '/nacos/v1/auth/users')).status).toBe(403)
  })

  test('CVE-2021-29442 raw storage operations (/v1/cs/ops/derby?sql=) do not exist', async () => {
    const r = await call(app, 'GET', '/nacos/v1/cs/ops/derby', { sql: 'select * from users' })
    expect(r.status).toBe(404)
    expect(r.text).not.toContain('$2')
  })

  test('forged, alg:none and expired tokens are refused over HTTP', async () => {
    const tampered = reader.slice(0, reader.lastIndexOf('.') + 1) + 'x'.repeat(43)
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'nacos', exp: 9_999_999_999 })).toString('base64url')}.`
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('reader').setExpirationTime(1).sign(new Uint8Array(32))
    for (const t of [tampered, none]) expect((await read({ accessToken: t })).text).toBe('token invalid!')
    expect((await read({ accessToken: expired })).status).toBe(403)
  })

  test('batch operations check permissions: a reader cannot batch-delete by ids', async () => {
    const admin = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
    await call(app, 'POST', CFG, { dataId: 'keep', group: 'G', content: 'v', accessToken: admin })
    const r = await call(app, 'DELETE', CFG, { delType: 'ids', ids: '1,2,3', accessToken: reader })
    expect(r.status).toBe(403)
    expect((await call(app, 'GET', CFG, { dataId: 'keep', group: 'G', accessToken: reader })).text).toBe('v')
  })

  test('tokens are only read from the places Nacos reads them; a token for a deleted user stops working', async () => {
    const admin = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
    await call(app, 'POST', '/nacos/v1/auth/users', { username: 'temp', password: 'temp-password', accessToken: admin })
    const t = (await login(app.auth, 'temp', 'temp-password', '1.1.1.1')).accessToken
    await call(app, 'DELETE', '/nacos/v1/auth/users', { username: 'temp', accessToken: admin })
    expect((await read({ accessToken: t })).text).toBe('user not found!')
  })

  test('a password change revokes the tokens issued before it (Nacos keeps them valid until they expire)', async () => {
    const admin = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
    await call(app, 'POST', '/nacos/v1/auth/users', { username: 'rotating', password: 'first-password', accessToken: admin })
    await addRole(app.auth.store, 'readers', 'rotating')
    const before = (await login(app.auth, 'rotating', 'first-password', '1.1.1.1')).accessToken
    expect((await read({ accessToken: before })).status).toBe(404)
    const changed = await call(app, 'PUT', '/nacos/v1/auth/users', { username: 'rotating', newPassword: 'second-password', accessToken: before })
    expect(changed.status).toBe(200)
    expect((await read({ accessToken: before })).text).toBe('token invalid!')
    const after = (await login(app.auth, 'rotating', 'second-password', '1.1.1.1')).accessToken
    expect((await read({ accessToken: after })).status).toBe(404)
  })
})
