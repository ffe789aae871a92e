import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { md5 } from '../../src/shared/md5'
import { TestClient } from '../support/nacos-grpc'
import { startTestServer } from '../support/server'

let server: Awaited<ReturnType<typeof startTestServer>>
const clients: TestClient[] = []
async function connected(opts: Parameters<TestClient['connect']>[0] = {}) {
  const c = new TestClient(server.grpcAddress)
  clients.push(c)
  await c.connect(opts)
  return c
}

beforeAll(async () => {
  server = await startTestServer({ configMaxContentBytes: '1024' })
})
afterAll(async () => {
  for (const c of clients) c.close()
  await server.stop()
})

const key = (dataId: string, tenant = '') => ({ dataId, group: 'G', tenant })

describe('config over gRPC', () => {
  test('publish then query returns content, md5, type and lastModified', async () => {
    const c = await connected()
    const pub = await c.request('ConfigPublishRequest', { ...key('q1'), content: 'a: 1', additionMap: { type: 'yaml', appName: null } })
    expect(pub.type).toBe('ConfigPublishResponse')
    expect(pub.body).toMatchObject({ resultCode: 200, errorCode: 0, success: true })
    const q = await c.request('ConfigQueryRequest', key('q1'))
    expect(q.type).toBe('ConfigQueryResponse')
    expect(q.body).toMatchObject({ success: true, content: 'a: 1', md5: md5('a: 1'), contentType: 'yaml', beta: false })
    expect(q.body.lastModified).toBeGreaterThan(0)
    expect('tag' in q.body).toBe(false)
  })

  test('a missing config answers ConfigQueryResponse errorCode 300 with lastModified and beta', async () => {
    const c = await connected()
    const q = await c.request('ConfigQueryRequest', key('absent'))
    expect(q.type).toBe('ConfigQueryResponse')
    expect(q.body).toMatchObject({ resultCode: 500, errorCode: 300, success: false, lastModified: 0, beta: false, message: 'config data not exist' })
  })

  test('"" and "public" are one namespace', async () => {
    const c = await connected()
    await c.request('ConfigPublishRequest', { ...key('ns1', 'public'), content: 'x' })
    expect((await c.request('ConfigQueryRequest', key('ns1', ''))).body.content).toBe('x')
  })

  test('casMd5: a stale md5 is refused and stores nothing; the right one updates', async () => {
    const c = await connected()
    await c.request('ConfigPublishRequest', { ...key('cas'), content: 'v1' })
    const stale = await c.request('ConfigPublishRequest', { ...key('cas'), content: 'v2', casMd5: md5('other') })
    expect(stale.body).toMatchObject({ success: false, errorCode: 500 })
    expect((await c.request('ConfigQueryRequest', key('cas'))).body.content).toBe('v1')
    const good = await c.request('ConfigPublishRequest', { ...key('cas'), content: 'v2', casMd5: md5('v1') })
    expect(good.body.success).toBe(true)
  })

  test('invalid input answers errorCode 400 and stores nothing', async () => {
    const c = await connected()
    const cases = [
      { ...key('bad id!'), content: 'x' },
      { ...key(''), content: 'x' },
      { dataId: 'ok', group: '', tenant: '', content: 'x' },
      { ...key('big'), content: 'x'.repeat(2000) },
      { ...key('typed'), content: 'x', additionMap: { type: 'exe' } },
    ]
    for (const body of cases) {
      const r = await c.request('ConfigPublishRequest', body)
      expect(r.body).toMatchObject({ success: false, errorCode: 400 })
    }
    for (const id of ['big', 'typed']) expect((await c.request('ConfigQueryRequest', key(id))).body.errorCode).toBe(300)
  })

  test('remove succeeds and a later query is not found', async () => {
    const c = await connected()
    await c.request('ConfigPublishRequest', { ...key('rm'), content: 'x' })
    expect((await c.request('ConfigRemoveRequest', key('rm'))).body.success).toBe(true)
    expect((await c.request('ConfigQueryRequest', key('rm'))).body.errorCode).toBe(300)
  })

  test('beta gray reaches only the listed client IPs', async () => {
    const beta = await connected({ clientIp: '10.9.9.9' })
    const other = await connected({ clientIp: '10.1.1.1' })
    await other.request('ConfigPublishRequest', { ...key('gray'), content: 'formal' })
    await other.request('ConfigPublishRequest', { ...key('gray'), content: 'beta', additionMap: { betaIps: '10.9.9.9,10.9.9.8' } })
    expect((await beta.request('ConfigQueryRequest', key('gray'))).body).toMatchObject({ content: 'beta', beta: true })
    expect((await other.request('ConfigQueryRequest', key('gray'))).body).toMatchObject({ content: 'formal', beta: false })
  })

  test('tag gray is read only with that tag, and an unknown tag is not found', async () => {
    const c = await connected()
    await c.request('ConfigPublishRequest', { ...key('tagged'), content: 'formal' })
    await c.request('ConfigPublishRequest', { ...key('tagged'), content: 'tagged', additionMap: { tag: 'canary' } })
    expect((await c.request('ConfigQueryRequest', { ...key('tagged'), tag: 'canary' })).body).toMatchObject({ content: 'tagged', tag: 'canary' })
    expect((await c.request('ConfigQueryRequest', { ...key('tagged'), tag: 'nope' })).body.errorCode).toBe(300)
    expect((await c.request('ConfigQueryRequest', key('tagged'))).body.content).toBe('formal')
  })
})

describe('listening', () => {
  test('batch listen reports stale keys; "" md5 on a missing config is up to date', async () => {
    const c = await connected()
    await c.request('ConfigPublishRequest', { ...key('l1'), content: 'x' })
    const r = await c.request('ConfigBatchListenRequest', {
      listen: true,
      configListenContexts: [{ ...key('l1'), md5: 'old' }, { ...key('l1-missing'), md5: '' }, { ...key('l1', 'public'), md5: md5('x') }],
    })
    expect(r.type).toBe('ConfigChangeBatchListenResponse')
    expect(r.body.changedConfigs).toEqual([{ dataId: 'l1', group: 'G', tenant: '' }])
  })

  test('a change is pushed to each listener with the tenant spelling it listened with', async () => {
    const blank = await connected()
    const pub = await connected({ tenant: 'public' })
    await blank.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ ...key('push1', ''), md5: '' }] })
    await pub.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ ...key('push1', 'public'), md5: '' }] })
    const writer = await connected()
    await writer.request('ConfigPublishRequest', { ...key('push1', 'public'), content: 'v' })
    const a = await blank.nextPush(2000)
    const b = await pub.nextPush(2000)
    expect(a.type).toBe('ConfigChangeNotifyRequest')
    expect(a.body).toMatchObject({ dataId: 'push1', group: 'G', tenant: '', headers: {} })
    expect(a.body.requestId).toBeTruthy()
    expect(b.body.tenant).toBe('public')
    blank.ack(a, 'NotifySubscriberResponse') // Go acks with the wrong type; matching is by requestId
    pub.ack(b)
  })

  test('unlisten stops pushes; closing the connection removes its listeners', async () => {
    const c = await connected()
    await c.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ ...key('push2'), md5: '' }] })
    await c.request('ConfigBatchListenRequest', { listen: false, configListenContexts: [{ ...key('push2'), md5: '' }] })
    const d = await connected()
    await d.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ ...key('push2'), md5: '' }] })
    const before = server.app.config.watches.size
    d.close()
    const deadline = Date.now() + 3000
    while (server.app.config.watches.size >= before && Date.now() < deadline) await Bun.sleep(50)
    expect(server.app.config.watches.size).toBe(before - 1)
    await c.request('ConfigPublishRequest', { ...key('push2'), content: 'v' })
    await expect(c.nextPush(500)).rejects.toThrow('no push')
  })
})
