import { afterAll, describe, expect, test } from 'bun:test'
import { createPeerHandler } from '../../src/cluster/grpc'
import { parseMember } from '../../src/cluster/members'
import { AUTH_HEADERS, PeerAuth, PeerAuthError } from '../../src/cluster/peer-auth'
import { PeerCallError, PeerClient } from '../../src/cluster/peers'
import type { PeerServer } from '../../src/shared/peer'
import { createPeerWire } from '../../src/transport/peer/client'
import { startPeerServer } from '../../src/transport/peer/server'
import { freePort } from '../support/server'

const secret = (s: string) => new TextEncoder().encode(s.padEnd(32, '.'))
const A = secret('cluster secret A')
const B = secret('cluster secret B')

describe('peer auth (signatures only)', () => {
  test('a signed request verifies once; a replay, another secret, a changed body or type are refused', () => {
    const auth = new PeerAuth(A)
    const h = auth.signRequest('ClusterPing', '127.0.0.1:8848', '{"x":1}')
    expect(h[AUTH_HEADERS.sig]).toBeString()
    expect(JSON.stringify(h)).not.toContain('cluster secret')
    expect(new PeerAuth(B).verifyRequest.bind(new PeerAuth(B), 'ClusterPing', h, '{"x":1}')).toThrow('signature is invalid')
    expect(() => auth.verifyRequest('ClusterPing', h, '{"x":2}')).toThrow('signature is invalid')
    expect(() => auth.verifyRequest('OtherType', h, '{"x":1}')).toThrow('signature is invalid')
    expect(() => auth.verifyRequest('ClusterPing', { ...h, [AUTH_HEADERS.from]: '10.0.0.9:8848' }, '{"x":1}')).toThrow('signature is invalid')
    expect(auth.verifyRequest('ClusterPing', h, '{"x":1}')).toBe('127.0.0.1:8848')
    expect(() => auth.verifyRequest('ClusterPing', h, '{"x":1}')).toThrow('replayed')
  })

  test('clock skew beyond 60 s is refused both ways', () => {
    const now = Date.now()
    const receiver = new PeerAuth(A, () => now)
    const late = new PeerAuth(A, () => now - 61_000).signRequest('ClusterPing', 'a:1', '{}')
    const early = new PeerAuth(A, () => now + 61_000).signRequest('ClusterPing', 'a:1', '{}')
    const fine = new PeerAuth(A, () => now - 59_000).signRequest('ClusterPing', 'a:1', '{}')
    expect(() => receiver.verifyRequest('ClusterPing', late, '{}')).toThrow('clock skew')
    expect(() => receiver.verifyRequest('ClusterPing', early, '{}')).toThrow('clock skew')
    expect(receiver.verifyRequest('ClusterPing', fine, '{}')).toBe('a:1')
  })

  test('unsigned or garbled requests are refused', () => {
    const auth = new PeerAuth(A)
    expect(() => auth.verifyRequest('ClusterPing', {}, '{}')).toThrow('not signed')
    const h = auth.signRequest('ClusterPing', 'a:1', '{}')
    expect(() => auth.verifyRequest('ClusterPing', { ...h, [AUTH_HEADERS.sig]: 'AAAA' }, '{}')).toThrow(PeerAuthError)
    expect(() => auth.verifyRequest('ClusterPing', { ...h, [AUTH_HEADERS.ts]: 'soon' }, '{}')).toThrow('clock skew')
  })
})

describe('peer channel over gRPC', async () => {
  const httpPort = await freePort(1001)
  const member = parseMember(`127.0.0.1:${httpPort}`, 'test')
  const servers: PeerServer[] = []
  const wire = createPeerWire()
  const seen: string[] = []
  servers.push(await startPeerServer({
    host: '127.0.0.1',
    port: httpPort + 1001,
    handle: createPeerHandler(new PeerAuth(A), { Echo: (body, from) => (seen.push(from), { echo: body.text }) }),
  }))
  afterAll(async () => {
    wire.close()
    for (const s of servers) await s.stop()
  })
  const self = parseMember('127.0.0.9:8848', 'test')

  test('same secret: answered, and the answer is verified', async () => {
    const client = new PeerClient(wire, new PeerAuth(A), self)
    expect(await client.call(member, 'Echo', { text: 'hi' }, 2000)).toEqual({ echo: 'hi' })
    expect(seen).toEqual(['127.0.0.9:8848'])
  })

  test('wrong secret: refused with 401 and never handled', async () => {
    const client = new PeerClient(wire, new PeerAuth(B), self)
    const e = await client.call(member, 'Echo', { text: 'x' }, 2000).catch((x) => x)
    expect(e).toBeInstanceOf(PeerCallError)
    expect(e.code).toBe(401)
    expect(e.message).toContain('signature is invalid')
    expect(seen).toHaveLength(1)
  })

  test('a captured call replayed on the wire is refused', async () => {
    const body = JSON.stringify({ text: 'again' })
    const headers = new PeerAuth(A).signRequest('Echo', self.address, body)
    const first = await wire.call(`127.0.0.1:${httpPort + 1001}`, { type: 'Echo', headers, body }, 2000)
    expect(first.type).toBe('EchoResponse')
    const second = await wire.call(`127.0.0.1:${httpPort + 1001}`, { type: 'Echo', headers, body }, 2000)
    expect(second.type).toBe('ErrorResponse')
    expect(new TextDecoder().decode(second.body as Uint8Array)).toContain('replayed')
  })

  test('an unknown type is refused after auth (404)', async () => {
    const e = await new PeerClient(wire, new PeerAuth(A), self).call(member, 'Nope', {}, 2000).catch((x) => x)
    expect(e.code).toBe(404)
  })

  test('an answer not signed with our secret is rejected by the caller', async () => {
    const port = await freePort(1001)
    // A fake "peer" that answers without the secret.
    servers.push(await startPeerServer({ host: '127.0.0.1', port: port + 1001, handle: async () => ({ type: 'EchoResponse', headers: {}, body: '{"echo":"forged"}' }) }))
    const e = await new PeerClient(wire, new PeerAuth(A), self).call(parseMember(`127.0.0.1:${port}`, 't'), 'Echo', { text: 'x' }, 2000).catch((x) => x)
    expect(e).toBeInstanceOf(PeerAuthError)
  })

  test('nothing listening: a fail-fast call says the connection was refused', async () => {
    const port = await freePort(1001)
    const e = await new PeerClient(wire, new PeerAuth(A), self).call(parseMember(`127.0.0.1:${port}`, 't'), 'Echo', {}, 1000, false).catch((x) => x)
    expect(String(e.message)).toMatch(/ECONNREFUSED|connection refused/i)
  })

  test('a waiting call reaches a peer that starts listening within its timeout', async () => {
    const port = await freePort(1001)
    const target = parseMember(`127.0.0.1:${port}`, 't')
    const client = new PeerClient(wire, new PeerAuth(A), self)
    // First attempt puts the channel into reconnect backoff, as after a peer died.
    await client.call(target, 'Echo', {}, 300, false).catch(() => {})
    const pending = client.call(target, 'Echo', { text: 'late' }, 4000)
    await Bun.sleep(300)
    servers.push(await startPeerServer({ host: '127.0.0.1', port: port + 1001, handle: createPeerHandler(new PeerAuth(A), { Echo: (body) => ({ echo: body.text }) }) }))
    expect(await pending).toEqual({ echo: 'late' })
  })
})
