import { afterAll, describe, expect, test } from 'bun:test'
import { createCluster, type Cluster } from '../../src/cluster/cluster'
import { MemberState } from '../../src/cluster/member-state'
import { parseMember } from '../../src/cluster/members'
import type { NodeState } from '../../src/cluster/member-state'
import { createPeerWire } from '../../src/transport/peer/client'
import { startPeerServer } from '../../src/transport/peer/server'
import { freePort } from '../support/server'

const report = { version: 't', startedAt: 1, load: 0, cpuCount: 1, rssBytes: 1, sdkConnections: 0 }

describe('member state (Nacos MemberUtil.onFail/onSuccess)', () => {
  test('a timeout makes a member SUSPICIOUS; more than 3 failures in a row DOWN; one answer UP again', () => {
    const m = new MemberState(parseMember('10.0.0.1:8848', 't'))
    expect(m.state).toBe('STARTING')
    for (let i = 1; i <= 3; i++) {
      m.onFail('DEADLINE_EXCEEDED: Deadline exceeded')
      expect([m.state, m.failAccessCnt]).toEqual(['SUSPICIOUS', i])
    }
    m.onFail('DEADLINE_EXCEEDED: Deadline exceeded')
    expect(m.state).toBe('DOWN')
    m.onSuccess(report, 42)
    expect([m.state, m.failAccessCnt, m.lastRefreshTime, m.lastError]).toEqual(['UP', 0, 42, undefined])
  })

  test('a refused connection is DOWN at once (nothing listens: the process is gone)', () => {
    const m = new MemberState(parseMember('10.0.0.1:8848', 't'))
    m.onFail('14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.0.0.1:9849')
    expect([m.state, m.failAccessCnt]).toEqual(['DOWN', 1])
  })
})

describe('health loop over the real peer channel', async () => {
  const secret = 'health-loop-test-secret-0123456789abcdef'
  const [pa, pb] = [await freePort(1001), await freePort(1001)]
  const a = parseMember(`127.0.0.1:${pa}`, 't')
  const b = parseMember(`127.0.0.1:${pb}`, 't')
  const plan = (self: typeof a) => ({ mode: 'cluster' as const, members: [a, b], self, secret: new TextEncoder().encode(secret), source: 'test' })
  const source = { version: 'test', startedAt: Date.now(), sdkConnections: () => 0 }
  const timing = { intervalMs: 200, timeoutMs: 150 }
  const transport = () => ({ listen: (port: number, handle: any) => startPeerServer({ host: '127.0.0.1', port, handle }), wire: createPeerWire() })
  // B's cluster port accepts TCP and never answers: a partition, not a dead process.
  const blackhole = Bun.listen({ hostname: '127.0.0.1', port: pb + 1001, socket: { data() {} } })
  const clusterA = createCluster(plan(a), a, source, timing)
  const seen: [NodeState, NodeState][] = []
  clusterA.onChange((m, from, to) => m.address === b.address && seen.push([from, to]))
  await clusterA.start(transport())
  let clusterB: Cluster | undefined
  afterAll(async () => {
    blackhole.stop(true)
    await clusterA.stop()
    await clusterB?.stop()
  })
  const stateOfB = () => clusterA.list().find((m) => m.address === b.address)!

  test('an unanswering peer goes SUSPICIOUS, then DOWN after more than 3 failed pings', async () => {
    const start = Date.now()
    while (stateOfB().state !== 'DOWN' && Date.now() - start < 5000) await Bun.sleep(50)
    expect(stateOfB().state).toBe('DOWN')
    expect(stateOfB().failAccessCnt).toBeGreaterThan(3)
    expect(seen.slice(0, 2)).toEqual([['STARTING', 'SUSPICIOUS'], ['SUSPICIOUS', 'DOWN']])
    expect(clusterA.upPeers()).toEqual([])
  })

  test('when the partition heals, both see each other UP, with the other’s report', async () => {
    blackhole.stop(true)
    clusterB = createCluster(plan(b), b, { ...source, version: 'node-b' }, timing)
    clusterB.handle('Echo', (body, from) => ({ echo: body.text, from }))
    await clusterB.start(transport())
    expect(() => clusterB!.handle('Late', () => ({}))).toThrow('after start')
    const start = Date.now()
    while (stateOfB().state !== 'UP' && Date.now() - start < 5000) await Bun.sleep(50)
    expect(stateOfB()).toMatchObject({ state: 'UP', failAccessCnt: 0, extendInfo: { version: 'node-b' } })
    expect(clusterB.list().find((m) => m.address === a.address)!.state).toBe('UP')
    expect(clusterA.upPeers()).toEqual([b])
    expect(seen.at(-1)).toEqual(['DOWN', 'UP'])
    // Handlers registered by features answer over the same signed channel.
    expect(await clusterA.client!.call(b, 'Echo', { text: 'hi' }, 2000)).toEqual({ echo: 'hi', from: a.address })
  })
})
