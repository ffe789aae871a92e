import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { jsonPayload } from '../../src/transport/grpc/payload'
import { TestClient } from '../support/nacos-grpc'
import { startTestServer } from '../support/server'

let server: Awaited<ReturnType<typeof startTestServer>>
const clients: TestClient[] = []
const client = () => {
  const c = new TestClient(server.grpcAddress)
  clients.push(c)
  return c
}

beforeAll(async () => {
  server = await startTestServer({ clientIdleMs: '1000', clientProbeTimeoutMs: '1000' })
})
afterAll(async () => {
  for (const c of clients) c.close()
  await server.stop()
})

function expectNoNulls(v: unknown) {
  expect(JSON.stringify(v)).not.toContain('null')
}

describe('connection lifecycle', () => {
  test('ServerCheck answers a connectionId in Nacos format and offers ability negotiation', async () => {
    const r = await client().request('ServerCheckRequest')
    expect(r.type).toBe('ServerCheckResponse')
    expect(r.body).toMatchObject({ resultCode: 200, errorCode: 0, success: true, supportAbilityNegotiation: true })
    expect(r.body.connectionId).toMatch(/^\d+_127\.0\.0\.1_\d+$/)
  })

  test('a business request before setup is refused with ErrorResponse 301 so the client reconnects', async () => {
    const r = await client().request('ConfigQueryRequest', { dataId: 'a', group: 'g', tenant: '' })
    expect(r.type).toBe('ErrorResponse')
    expect(r.body).toMatchObject({ resultCode: 500, errorCode: 301, success: false })
    const h = await client().request('HealthCheckRequest')
    expect(h.body.errorCode).toBe(301)
  })

  test('setup with an abilityTable gets SetupAckRequest with headers and our abilities; the id is kept', async () => {
    const c = client()
    const check = await c.connect({ abilityTable: { fuzzyWatch: true } })
    const ack = c.seen.find((s) => s.type === 'SetupAckRequest')!
    expect(ack.body.headers).toEqual({})
    expect(ack.body.abilityTable.supportPersistentInstanceByGrpc).toBe(true)
    const conn = server.grpc.registry.all().find((x) => x.id === check.body.connectionId)
    expect(conn).toBeDefined()
    expect((await c.request('HealthCheckRequest')).body).toMatchObject({ resultCode: 200, success: true })
  })

  test('Rust order: setup first without abilityTable, then HealthCheck, then ServerCheck', async () => {
    const c = client()
    c.openStream()
    c.send('ConnectionSetupRequest', { clientVersion: 'Nacos-Rust-Client:v0.8', tenant: '', labels: { module: 'config' }, abilities: {} })
    await Bun.sleep(150)
    expect((await c.request('HealthCheckRequest')).type).toBe('HealthCheckResponse')
    const check = await c.request('ServerCheckRequest')
    expect(check.body.connectionId).toBeTruthy()
    expect(c.seen.some((s) => s.type === 'SetupAckRequest')).toBe(false)
  })

  test('unknown type answers 302, unparsable JSON 502, garbage bytes 502; the server keeps serving', async () => {
    const c = client()
    await c.connect()
    expect((await c.request('NoSuchRequest')).body).toMatchObject({ errorCode: 302, success: false })
    const bad = { ...jsonPayload('ConfigQueryRequest', {}), json: undefined, body: new TextEncoder().encode('{not json') }
    const r = await c.raw(bad)
    expect(r.type).toBe('ErrorResponse')
    expect(r.body.errorCode).toBe(502)
    const garbage = await c.bytes(Buffer.from([0x12, 0xff, 0xff, 0x01]))
    expect(garbage.type).toBe('ErrorResponse')
    expect(garbage.body.errorCode).toBe(502)
    expect((await c.request('HealthCheckRequest')).body.success).toBe(true)
  })

  test('an idle connection is probed with ClientDetectionRequest and kept when it answers', async () => {
    const c = client()
    const check = await c.connect()
    const probe = await c.nextPush(6000)
    expect(probe.type).toBe('ClientDetectionRequest')
    expect(probe.body.requestId).toBeTruthy()
    c.ack(probe)
    await Bun.sleep(300)
    expect(server.grpc.registry.all().some((x) => x.id === check.body.connectionId)).toBe(true)
  })

  test('a connection that ignores ClientDetectionRequest is dropped and its stream closed', async () => {
    const c = client()
    const check = await c.connect()
    const deadline = Date.now() + 9000
    while (!c.streamEnded && Date.now() < deadline) await Bun.sleep(100)
    expect(c.streamEnded).toBe(true)
    expect(server.grpc.registry.all().some((x) => x.id === check.body.connectionId)).toBe(false)
    expect((await c.request('HealthCheckRequest')).body.errorCode).toBe(301)
  })

  test('responses never carry JSON null', async () => {
    const c = client()
    await c.connect()
    expectNoNulls((await c.request('ConfigQueryRequest', { dataId: 'nope', group: 'g', tenant: '' })).body)
    expectNoNulls((await c.request('ConfigBatchListenRequest', { listen: true, configListenContexts: [{ dataId: 'x', group: 'g', tenant: '', md5: null }] })).body)
  })
})

describe('shutdown', () => {
  test('stop sends ConnectResetRequest to connected clients and ends their streams', async () => {
    const own = await startTestServer()
    const c = new TestClient(own.grpcAddress)
    await c.connect()
    const stopping = own.stop()
    const reset = await c.nextPush(3000)
    expect(reset.type).toBe('ConnectResetRequest')
    // A client reconnecting while the server stops is turned away (300), not accepted and then dropped.
    const late = new TestClient(own.grpcAddress)
    const check = await late.request('ServerCheckRequest').catch(() => undefined)
    if (check) expect(check.body.errorCode).toBe(300)
    late.close()
    await stopping
    expect(c.streamEnded).toBe(true)
    c.close()
  })
})
