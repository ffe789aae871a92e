// Peer-traffic counters: the tallies themselves, then every outcome produced by real calls over the real signed
// gRPC peer channel (PeerClient on one side, createPeerHandler on the other, each with its own PeerTraffic).
import { afterAll, describe, expect, test } from 'bun:test'
import { createCluster } from '../../src/cluster/cluster'
import { createPeerHandler } from '../../src/cluster/grpc'
import { parseMember } from '../../src/cluster/members'
import { PeerAuth } from '../../src/cluster/peer-auth'
import { PeerCallError, PeerClient } from '../../src/cluster/peers'
import { bodyBytes, failureOutcome, PEER_DURATION_BOUNDS, PeerTraffic } from '../../src/cluster/traffic'
import type { PeerServer } from '../../src/shared/peer'
import { createPeerWire } from '../../src/transport/peer/client'
import { startPeerServer } from '../../src/transport/peer/server'
import { freePort } from '../support/server'

const secret = (s: string) => new TextEncoder().encode(s.padEnd(32, '.'))
const A = secret('traffic secret A')
const B = secret('traffic secret B')

describe('PeerTraffic tallies', () => {
  test('counts, bytes and durations per type and outcome; totals as plain objects', () => {
    const t = new PeerTraffic()
    t.sent('ClusterPing', 'ok', 0.8, 100, 200)
    t.sent('ClusterPing', 'ok', 3, 100, 210)
    t.sent('ClusterPing', 'timeout', 1500, 100, 0)
    t.sent('DistroDelta', 'error', 20_000, 5, 40)
    t.received('ClusterPing', 'ok', 90, 180)
    t.received('other', 'refused', 7, 60)
    expect(t.outgoing.get('ClusterPing')!.get('ok')).toEqual({ count: 2, bytesSent: 200, bytesReceived: 410 })
    expect(t.incoming.get('other')!.get('refused')).toEqual({ count: 1, bytesSent: 60, bytesReceived: 7 })
    const ping = t.durations.get('ClusterPing')!
    expect(ping.count).toBe(3)
    expect(ping.sum).toBeCloseTo(1.5038, 6)
    // 0.8 ms ≤ 1 ms, 3 ms ≤ 5 ms, 1.5 s ≤ 2.5 s: one each, per bucket (not cumulative).
    expect(ping.buckets[PEER_DURATION_BOUNDS.indexOf(0.001)]).toBe(1)
    expect(ping.buckets[PEER_DURATION_BOUNDS.indexOf(0.005)]).toBe(1)
    expect(ping.buckets[PEER_DURATION_BOUNDS.indexOf(2.5)]).toBe(1)
    // 20 s is past the last bound: only in the count and sum (+Inf).
    expect(t.durations.get('DistroDelta')!.buckets.reduce((a, b) => a + b, 0)).toBe(0)
    expect(t.durations.get('DistroDelta')!.count).toBe(1)
    expect(t.totals()).toEqual({
      outgoing: { ClusterPing: { ok: 2, timeout: 1 }, DistroDelta: { error: 1 } },
      incoming: { ClusterPing: { ok: 1 }, other: { refused: 1 } },
    })
  })

  test('body sizes are UTF-8 bytes; transport failures read as timeout or unreachable', () => {
    expect(bodyBytes('{"k":"é"}')).toBe(10)
    expect(bodyBytes(new Uint8Array(7))).toBe(7)
    expect(failureOutcome(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 1.501s'))).toBe('timeout')
    expect(failureOutcome(new Error('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 127.0.0.1:9'))).toBe('unreachable')
  })

  test('a standalone cluster has no traffic; a cluster-mode one has its own', () => {
    const self = parseMember('127.0.0.1:8848', 't')
    const source = { version: 't', startedAt: 1, sdkConnections: () => 0 }
    expect(createCluster({ mode: 'standalone' }, self, source).traffic).toBeUndefined()
    const plan = { mode: 'cluster' as const, members: [self, parseMember('127.0.0.2:8848', 't')], self, secret: A, source: 'test' }
    const [one, two] = [createCluster(plan, self, source), createCluster(plan, self, source)]
    expect(one.traffic).toBeInstanceOf(PeerTraffic)
    expect(one.traffic).not.toBe(two.traffic)
  })
})

describe('PeerTraffic over the real peer channel', async () => {
  const httpPort = await freePort(1001)
  const member = parseMember(`127.0.0.1:${httpPort}`, 'test')
  const self = parseMember('127.0.0.9:8848', 'test')
  const serverSide = new PeerTraffic()
  const clientSide = new PeerTraffic()
  const servers: PeerServer[] = []
  const wire = createPeerWire()
  servers.push(await startPeerServer({
    host: '127.0.0.1',
    port: httpPort + 1001,
    handle: createPeerHandler(new PeerAuth(A), {
      Echo: (body) => ({ echo: body.text }),
      Boom: () => {
        throw new Error('handler bug')
      },
    }, serverSide),
  }))
  // Accepts TCP and never answers: a hung node, so the caller's deadline passes.
  const hungPort = await freePort(1001)
  const hung = Bun.listen({ hostname: '127.0.0.1', port: hungPort + 1001, socket: { data() {} } })
  afterAll(async () => {
    hung.stop(true)
    wire.close()
    for (const s of servers) await s.stop()
  })
  const client = new PeerClient(wire, new PeerAuth(A), self, clientSide)

  test('an answered call: ok on both sides, with the body bytes each way and a duration', async () => {
    expect(await client.call(member, 'Echo', { text: 'hi' }, 2000)).toEqual({ echo: 'hi' })
    const sent = clientSide.outgoing.get('Echo')!.get('ok')!
    const got = serverSide.incoming.get('Echo')!.get('ok')!
    expect(sent).toEqual({ count: 1, bytesSent: bodyBytes('{"text":"hi"}'), bytesReceived: bodyBytes('{"echo":"hi"}') })
    expect(got).toEqual({ count: 1, bytesSent: sent.bytesReceived, bytesReceived: sent.bytesSent })
    expect(clientSide.durations.get('Echo')!.count).toBe(1)
    expect(clientSide.durations.get('Echo')!.sum).toBeGreaterThan(0)
  })

  test('another secret: an error for the caller, refused for the receiver', async () => {
    const stranger = new PeerTraffic()
    const e = await new PeerClient(wire, new PeerAuth(B), self, stranger).call(member, 'Echo', { text: 'x' }, 2000).catch((x) => x)
    expect(e).toBeInstanceOf(PeerCallError)
    expect(stranger.totals().outgoing).toEqual({ Echo: { error: 1 } })
    expect(serverSide.totals().incoming.Echo).toEqual({ ok: 1, refused: 1 })
  })

  test('a type the receiver does not handle is counted under "other", whatever it is called', async () => {
    await client.call(member, 'Nope', {}, 2000).catch(() => {})
    await client.call(member, 'Nope2', {}, 2000).catch(() => {})
    expect(clientSide.totals().outgoing).toMatchObject({ Nope: { error: 1 }, Nope2: { error: 1 } })
    expect(serverSide.totals().incoming.other).toEqual({ unknown: 2 })
    expect(serverSide.incoming.has('Nope')).toBe(false)
  })

  test('a handler that throws is an error on both sides', async () => {
    const e = await client.call(member, 'Boom', {}, 2000).catch((x) => x)
    expect(e).toBeInstanceOf(PeerCallError)
    expect(e.code).toBe(500)
    expect(serverSide.totals().incoming.Boom).toEqual({ error: 1 })
    expect(clientSide.totals().outgoing.Boom).toEqual({ error: 1 })
  })

  test('nothing listening is unreachable; a peer that never answers is a timeout near the deadline', async () => {
    const closed = parseMember(`127.0.0.1:${await freePort(1001)}`, 't')
    await client.call(closed, 'Echo', {}, 1000, false).catch(() => {})
    expect(clientSide.outgoing.get('Echo')!.get('unreachable')).toMatchObject({ count: 1, bytesReceived: 0 })
    await client.call(parseMember(`127.0.0.1:${hungPort}`, 't'), 'Echo', {}, 300, false).catch(() => {})
    expect(clientSide.outgoing.get('Echo')!.get('timeout')).toMatchObject({ count: 1, bytesSent: 2, bytesReceived: 0 })
    const d = clientSide.durations.get('Echo')!
    expect(d.count).toBe(3)
    expect(d.sum).toBeGreaterThan(0.29)
  })
})
