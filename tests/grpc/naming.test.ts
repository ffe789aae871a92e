import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { TestClient } from '../support/nacos-grpc'
import { startTestServer } from '../support/server'

let server: Awaited<ReturnType<typeof startTestServer>>
const clients: TestClient[] = []
async function connected() {
  const c = new TestClient(server.grpcAddress)
  clients.push(c)
  await c.connect({ labels: { module: 'naming' } })
  return c
}

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  for (const c of clients) c.close()
  await server.stop()
})

const svc = (name: string) => ({ namespace: 'public', serviceName: name, groupName: 'G', module: 'naming' })
const inst = (ip: string, port: number, extra: Record<string, unknown> = {}) => ({ ip, port, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {}, ...extra })

/** Waits for the next NotifySubscriberRequest and acks it. */
async function nextNotify(c: TestClient) {
  for (;;) {
    const p = await c.nextPush(3000)
    c.ack(p)
    if (p.type === 'NotifySubscriberRequest') return p.body.serviceInfo
  }
}

describe('naming over gRPC', () => {
  test('register, subscribe, push on change, deregister, query', async () => {
    const sub = await connected()
    const a = await connected()
    const b = await connected()
    const s1 = await sub.request('SubscribeServiceRequest', { ...svc('s1'), subscribe: true, clusters: '' })
    expect(s1.type).toBe('SubscribeServiceResponse')
    expect(s1.body.serviceInfo).toMatchObject({ name: 's1', groupName: 'G', clusters: '', hosts: [], checksum: '', reachProtectionThreshold: false, cacheMillis: 10000 })
    const r = await a.request('InstanceRequest', { ...svc('s1'), type: 'registerInstance', instance: inst('10.0.0.1', 8080) })
    expect(r).toMatchObject({ type: 'InstanceResponse', body: { type: 'registerInstance', success: true } })
    let info = await nextNotify(sub)
    expect(info.hosts.map((h: any) => h.ip)).toEqual(['10.0.0.1'])
    expect(info.hosts[0]).toMatchObject({ instanceId: '10.0.0.1#8080#DEFAULT#G@@s1', serviceName: 'G@@s1', instanceHeartBeatInterval: 5000, metadata: {} })
    const t1 = info.lastRefTime
    await b.request('InstanceRequest', { ...svc('s1'), type: 'registerInstance', instance: inst('10.0.0.2', 8080) })
    info = await nextNotify(sub)
    expect(info.hosts.map((h: any) => h.ip).sort()).toEqual(['10.0.0.1', '10.0.0.2'])
    expect(info.lastRefTime).toBeGreaterThan(t1)
    await b.request('InstanceRequest', { ...svc('s1'), type: 'deregisterInstance', instance: inst('10.0.0.2', 8080) })
    info = await nextNotify(sub)
    expect(info.hosts.map((h: any) => h.ip)).toEqual(['10.0.0.1'])
    const q = await sub.request('ServiceQueryRequest', { ...svc('s1'), cluster: '', healthyOnly: false })
    expect(q.type).toBe('QueryServiceResponse')
    expect(q.body.serviceInfo.hosts).toHaveLength(1)
    const list = await sub.request('ServiceListRequest', { ...svc(''), pageNo: 1, pageSize: 10 })
    expect(list.body).toMatchObject({ count: 1, serviceNames: ['s1'] })
  })

  test('re-register on one connection replaces its instance; batch replaces the list', async () => {
    const c = await connected()
    await c.request('InstanceRequest', { ...svc('s2'), type: 'registerInstance', instance: inst('10.0.1.1', 1) })
    await c.request('InstanceRequest', { ...svc('s2'), type: 'registerInstance', instance: inst('10.0.1.2', 1) })
    let q = await c.request('ServiceQueryRequest', { ...svc('s2'), cluster: '' })
    expect(q.body.serviceInfo.hosts.map((h: any) => h.ip)).toEqual(['10.0.1.2'])
    await c.request('BatchInstanceRequest', { ...svc('s2'), type: 'batchRegisterInstance', instances: [inst('10.0.1.3', 1), inst('10.0.1.4', 1)] })
    q = await c.request('ServiceQueryRequest', { ...svc('s2'), cluster: '' })
    expect(q.body.serviceInfo.hosts.map((h: any) => h.ip).sort()).toEqual(['10.0.1.3', '10.0.1.4'])
  })

  test('a closed connection takes its instances with it and subscribers are told', async () => {
    const sub = await connected()
    const pub = await connected()
    await sub.request('SubscribeServiceRequest', { ...svc('s3'), subscribe: true, clusters: '' })
    await pub.request('InstanceRequest', { ...svc('s3'), type: 'registerInstance', instance: inst('10.0.2.1', 1) })
    expect((await nextNotify(sub)).hosts).toHaveLength(1)
    pub.close()
    expect((await nextNotify(sub)).hosts).toHaveLength(0)
  })

  test('bad input changes nothing: invalid ip, port, weight, cluster, unknown type, persistent into ephemeral', async () => {
    const c = await connected()
    await c.request('InstanceRequest', { ...svc('s4'), type: 'registerInstance', instance: inst('10.0.3.1', 1) })
    const bad = [
      { type: 'registerInstance', instance: inst('not an ip', 1) },
      { type: 'registerInstance', instance: inst('10.0.3.2', 70000) },
      { type: 'registerInstance', instance: inst('10.0.3.2', 1, { weight: -1 }) },
      { type: 'registerInstance', instance: inst('10.0.3.2', 1, { clusterName: 'bad_cluster!' }) },
      { type: 'registerInstance', instance: inst('10.0.3.2', 1, { metadata: { big: 'x'.repeat(70000) } }) },
      { type: 'explodeInstance', instance: inst('10.0.3.2', 1) },
    ]
    for (const b of bad) {
      const r = await c.request('InstanceRequest', { ...svc('s4'), ...b })
      expect(r.body).toMatchObject({ success: false, errorCode: 400 })
    }
    const p = await c.request('PersistentInstanceRequest', { ...svc('s4'), type: 'registerInstance', instance: inst('127.0.0.33', 1, { ephemeral: false }) })
    expect(p.body).toMatchObject({ success: false, errorCode: 400 })
    const q = await c.request('ServiceQueryRequest', { ...svc('s4'), cluster: '' })
    expect(q.body.serviceInfo.hosts.map((h: any) => h.ip)).toEqual(['10.0.3.1'])
  })

  test('subscriber clusters filter pushes and are echoed', async () => {
    const sub = await connected()
    const pub = await connected()
    await sub.request('SubscribeServiceRequest', { ...svc('s5'), subscribe: true, clusters: 'A' })
    await pub.request('BatchInstanceRequest', { ...svc('s5'), type: 'batchRegisterInstance', instances: [inst('10.0.4.1', 1, { clusterName: 'A' }), inst('10.0.4.2', 1, { clusterName: 'B' })] })
    const info = await nextNotify(sub)
    expect(info.clusters).toBe('A')
    expect(info.hosts.map((h: any) => h.ip)).toEqual(['10.0.4.1'])
  })

  test('a subscriber that has not acked gets no new push; after its ack it gets only the newest state', async () => {
    const sub = await connected()
    const pub = await connected()
    await sub.request('SubscribeServiceRequest', { ...svc('s6'), subscribe: true, clusters: '' })
    await pub.request('BatchInstanceRequest', { ...svc('s6'), type: 'batchRegisterInstance', instances: [inst('10.0.5.1', 1)] })
    const first = await sub.nextPush(3000)
    expect(first.body.serviceInfo.hosts).toHaveLength(1)
    for (let n = 2; n <= 4; n++) {
      await pub.request('BatchInstanceRequest', { ...svc('s6'), type: 'batchRegisterInstance', instances: Array.from({ length: n }, (_, i) => inst(`10.0.5.${i + 1}`, 1)) })
      await Bun.sleep(60)
    }
    await expect(sub.nextPush(300)).rejects.toThrow('no push')
    sub.ack(first)
    const latest = await sub.nextPush(3000)
    expect(latest.body.serviceInfo.hosts).toHaveLength(4)
    sub.ack(latest)
    await expect(sub.nextPush(300)).rejects.toThrow('no push')
  })
})
