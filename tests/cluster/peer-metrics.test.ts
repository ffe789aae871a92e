// Peer traffic on the Prometheus endpoint: two in-process cluster nodes on the real signed gRPC channel, node A's
// whole app (createApp over an in-memory SQLite, given A's cluster) scraped at /metrics; a standalone app shows
// no peer series at all.
import { afterAll, describe, expect, test } from 'bun:test'
import { createApp } from '../../src/app'
import { createCluster } from '../../src/cluster/cluster'
import { parseMember } from '../../src/cluster/members'
import { bodyBytes } from '../../src/cluster/traffic'
import { parseSettings } from '../../src/settings/settings'
import { openStorage } from '../../src/storage/db'
import { createPeerWire } from '../../src/transport/peer/client'
import { startPeerServer } from '../../src/transport/peer/server'
import { parseExposition, sampleValue } from '../ops/exposition'
import { call, memoryApp, readyState } from '../support/memory'
import { freePort } from '../support/server'

describe('peer traffic on /metrics', async () => {
  const [pa, pb] = [await freePort(1001), await freePort(1001)]
  const a = parseMember(`127.0.0.1:${pa}`, 't')
  const b = parseMember(`127.0.0.1:${pb}`, 't')
  const plan = (self: typeof a) => ({ mode: 'cluster' as const, members: [a, b], self, secret: new TextEncoder().encode('peer-metrics-test-secret-0123456789abcdef'), source: 'test' })
  const source = { version: 'test', startedAt: Date.now(), sdkConnections: () => 0 }
  const timing = { intervalMs: 200, timeoutMs: 150 }
  const transport = () => ({ listen: (port: number, handle: any) => startPeerServer({ host: '127.0.0.1', port, handle }), wire: createPeerWire() })
  const clusterA = createCluster(plan(a), a, source, timing)
  const clusterB = createCluster(plan(b), b, source, timing)
  clusterB.handle('Echo', (body) => ({ echo: body.text }))
  // The app is built before the cluster starts, as the server does: the metrics must read the traffic that follows.
  const app = await createApp(openStorage({ dataDir: ':memory:' }), parseSettings({}, 'test'), readyState, clusterA)
  await clusterA.start(transport())
  await clusterB.start(transport())
  afterAll(async () => {
    await clusterA.stop()
    await clusterB.stop()
  })
  const scrape = async () => parseExposition((await call(app, 'GET', '/metrics')).text)

  test('calls made and messages answered show by direction, type and outcome, with bytes and durations', async () => {
    const start = Date.now()
    while (clusterA.upPeers().length === 0 && Date.now() - start < 5000) await Bun.sleep(20)
    expect(await clusterA.client!.call(b, 'Echo', { text: 'hi' }, 2000)).toEqual({ echo: 'hi' })
    await clusterA.client!.call(b, 'Missing', {}, 2000).catch(() => {})
    // B pings A every 200 ms: A answers at least one more.
    await Bun.sleep(250)
    const s = await scrape()
    const out = (type: string, outcome: string) => ({ direction: 'out', type, outcome })
    expect(sampleValue(s, 'bnacos_peer_requests_total', out('Echo', 'ok'))).toBe(1)
    expect(sampleValue(s, 'bnacos_peer_requests_total', out('Missing', 'error'))).toBe(1)
    expect(sampleValue(s, 'bnacos_peer_requests_total', out('ClusterPing', 'ok'))).toBeGreaterThanOrEqual(1)
    expect(sampleValue(s, 'bnacos_peer_requests_total', { direction: 'in', type: 'ClusterPing', outcome: 'ok' })).toBeGreaterThanOrEqual(1)
    expect(sampleValue(s, 'bnacos_peer_sent_bytes_total', out('Echo', 'ok'))).toBe(bodyBytes('{"text":"hi"}'))
    expect(sampleValue(s, 'bnacos_peer_received_bytes_total', out('Echo', 'ok'))).toBe(bodyBytes('{"echo":"hi"}'))
    expect(sampleValue(s, 'bnacos_peer_request_duration_seconds_count', { type: 'Echo' })).toBe(1)
    expect(sampleValue(s, 'bnacos_peer_request_duration_seconds_bucket', { type: 'Echo', le: '+Inf' })).toBe(1)
    expect(sampleValue(s, 'bnacos_peer_request_duration_seconds_sum', { type: 'Echo' })).toBeGreaterThan(0)
    // The receiving side counts the same traffic the other way round.
    expect(clusterB.traffic!.totals().incoming).toMatchObject({ Echo: { ok: 1 }, other: { unknown: 1 } })
  })

  test('a standalone node has no peer series', async () => {
    const { app: standalone } = await memoryApp()
    const text = (await call(standalone, 'GET', '/metrics')).text
    parseExposition(text)
    expect(text).not.toContain('bnacos_peer_')
  })
})
