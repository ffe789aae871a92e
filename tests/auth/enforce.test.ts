// Enforcement with BNACOS_AUTH_ENABLED: HTTP through the app, gRPC against a real server.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { bootstrapAdmin, login } from '../../src/auth/center'
import { grant } from '../../src/auth/permissions'
import { addRole } from '../../src/auth/roles'
import { createUser } from '../../src/auth/users'
import { call, memoryApp } from '../support/memory'
import { TestClient } from '../support/nacos-grpc'
import { startTestServer } from '../support/server'

const CFG = '/nacos/v1/cs/configs'

describe('HTTP with auth enabled', () => {
  let app: Awaited<ReturnType<typeof memoryApp>>['app']
  let admin: string
  let reader: string
  beforeAll(async () => {
    app = (await memoryApp({ authEnabled: true })).app
    await bootstrapAdmin(app.auth, 'nacos', 'admin-password')
    await createUser(app.auth.store, 'reader', 'reader-password')
    await addRole(app.auth.store, 'ns1-read', 'reader')
    await grant(app.auth.store, 'ns1-read', 'ns1:*:config/*', 'r')
    admin = (await login(app.auth, 'nacos', 'admin-password', '1.1.1.1')).accessToken
    reader = (await login(app.auth, 'reader', 'reader-password', '1.1.1.1')).accessToken
    for (const tenant of ['ns1', 'ns2']) await call(app, 'POST', CFG, { dataId: 'd', group: 'G', tenant, content: `in ${tenant}`, accessToken: admin })
  })

  test('no credentials: 403 with Nacos’s message, and nothing is written', async () => {
    const r = await call(app, 'POST', CFG, { dataId: 'anon', group: 'G', content: 'x' })
    expect([r.status, r.text]).toEqual([403, 'user not found!'])
    expect((await call(app, 'GET', CFG, { dataId: 'anon', group: 'G', accessToken: admin })).status).toBe(404)
  })

  test('a reader of ns1 reads there, cannot write there, and reads nothing elsewhere', async () => {
    const bearer = { headers: { Authorization: `Bearer ${reader}` } }
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns1' }, bearer)).text).toBe('in ns1')
    expect((await call(app, 'POST', CFG, { dataId: 'd', group: 'G', tenant: 'ns1', content: 'hacked' }, bearer)).status).toBe(403)
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns2' }, bearer)).status).toBe(403)
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns1', accessToken: admin })).text).toBe('in ns1')
  })

  test('the long poll needs read access on every listened key', async () => {
    const lc = 'd\u0002G\u0002\u0002ns1\u0001d\u0002G\u0002\u0002ns2\u0001'
    const r = await call(app, 'POST', `${CFG}/listener`, { 'Listening-Configs': lc, accessToken: reader })
    expect(r.status).toBe(403)
    const ok = await call(app, 'POST', `${CFG}/listener`, { 'Listening-Configs': 'd\u0002G\u0002\u0002ns1\u0001', accessToken: reader })
    expect(ok.status).toBe(200)
  })

  test('username and password parameters authenticate each request (Node SDK); health stays open', async () => {
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns1', username: 'reader', password: 'reader-password' })).status).toBe(200)
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns1', username: 'reader', password: 'wrong-password' })).status).toBe(403)
    expect((await call(app, 'GET', '/nacos/v1/console/health/readiness')).status).toBe(200)
  })

  test('forged tokens and User-Agent tricks do not pass', async () => {
    const forged = reader.slice(0, -4) + (reader.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns1', accessToken: forged })).text).toBe('token invalid!')
    expect((await call(app, 'GET', CFG, { dataId: 'd', group: 'G', tenant: 'ns1' }, { headers: { 'User-Agent': 'Nacos-Server:v1.4.0' } })).status).toBe(403)
  })
})

describe('gRPC with auth enabled', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let token: string
  beforeAll(async () => {
    server = await startTestServer({ authEnabled: 'true', initAdminPassword: 'admin-password' })
    const r = await fetch(`${server.httpUrl}/nacos/v1/auth/users/login`, { method: 'POST', body: new URLSearchParams({ username: 'nacos', password: 'admin-password' }) })
    token = ((await r.json()) as { accessToken: string }).accessToken
  })
  afterAll(() => server.stop())

  test('without a token a business request gets its own response type with errorCode 403; with one it works', async () => {
    const c = new TestClient(server.grpcAddress)
    await c.connect()
    const denied = await c.request('ConfigPublishRequest', { dataId: 'g', group: 'G', tenant: '', content: 'x' })
    expect(denied.type).toBe('ConfigPublishResponse')
    expect(denied.body).toMatchObject({ success: false, errorCode: 403 })
    expect((await c.request('ConfigQueryRequest', { dataId: 'g', group: 'G', tenant: '' })).body.errorCode).toBe(403)
    const ok = await c.request('ConfigPublishRequest', { dataId: 'g', group: 'G', tenant: '', content: 'x' }, { accessToken: token })
    expect(ok.body.success).toBe(true)
    const q = await c.request('ConfigQueryRequest', { dataId: 'g', group: 'G', tenant: '' }, { Authorization: `Bearer ${token}` })
    expect(q.body.content).toBe('x')
    // HealthCheck needs no auth, as in Nacos.
    expect((await c.request('HealthCheckRequest')).body.success).toBe(true)
    c.close()
    // The publish is in the audit log with who made it; the refused one is not.
    const audit = await fetch(`${server.httpUrl}/nacos/v1/console/audit?action=config.publish&accessToken=${token}`)
    const items = ((await audit.json()) as { data: { pageItems: { actor: string; resource: string; detail: Record<string, string> }[] } }).data.pageItems
    expect(items.map((e) => [e.actor, e.resource, e.detail.transport])).toEqual([['nacos', 'G:g', 'grpc']])
  })

  test('naming requests are guarded too, batch registration included', async () => {
    const c = new TestClient(server.grpcAddress)
    await c.connect()
    const inst = { ip: '10.0.0.1', port: 1, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} }
    const r = await c.request('BatchInstanceRequest', { namespace: 'public', serviceName: 's', groupName: 'G', type: 'batchRegisterInstance', instances: [inst] })
    expect(r.body).toMatchObject({ success: false, errorCode: 403 })
    const ok = await c.request('BatchInstanceRequest', { namespace: 'public', serviceName: 's', groupName: 'G', type: 'batchRegisterInstance', instances: [inst] }, { accessToken: token })
    expect(ok.body.success).toBe(true)
    c.close()
  })
})
