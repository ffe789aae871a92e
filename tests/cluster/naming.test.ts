// Issue 8's cluster scenario for ephemeral instances: a throw-away MariaDB and three node processes; instances
// registered over gRPC and HTTP on one node are listed on all, a subscriber on another node is pushed, a partition
// of one node's cluster port heals, and a node killed with -9 has its instances leave the others.
import { afterAll, describe, expect, test } from 'bun:test'
import { freeNodePort, removeNodes, startNode, within, type NodeProcess } from '../support/cluster'
import { available, startMariaDb, type DbServer } from '../support/dbserver'
import { TestClient } from '../support/nacos-grpc'
import { startTcpProxy } from '../support/tcp-proxy'
import { freePort } from '../support/server'

const SECRET = 'naming-cluster-test-secret-0123456789ab'
const PASSWORD = 'cluster-test-password'
const login = `username=nacos&password=${PASSWORD}`
const GROUP = 'DISTRO'
const svc = (name: string) => ({ namespace: 'public', serviceName: name, groupName: GROUP, module: 'naming' })
const inst = (ip: string, port: number) => ({ ip, port, weight: 1, healthy: true, enabled: true, ephemeral: true, clusterName: 'DEFAULT', metadata: {} })
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

/** The instances a node lists for a service, as `ip:port` sorted. */
async function listed(n: NodeProcess, service: string): Promise<string[]> {
  const r: any = await (await fetch(`${n.url}/nacos/v1/ns/instance/list?${form({ serviceName: service, groupName: GROUP })}`)).json()
  return (r.hosts ?? []).map((h: any) => `${h.ip}:${h.port}`).sort()
}

const sameOn = (nodes: NodeProcess[], service: string, want: string[]) => async () => {
  for (const n of nodes) if (JSON.stringify(await listed(n, service)) !== JSON.stringify(want)) return false
  return true
}

/** A gRPC client of the test (playing an SDK) connected to a node's SDK port. */
async function sdk(n: NodeProcess): Promise<TestClient> {
  const c = new TestClient(`${n.ip}:${n.httpPort + 1000}`)
  await c.connect({ labels: { module: 'naming' } })
  return c
}

describe.skipIf(!available().mariadb)('ephemeral instances across three nodes', async () => {
  const db: DbServer = await startMariaDb()
  const ips = ['127.0.0.1', '127.0.0.2', '127.0.0.3']
  const ports = await Promise.all(ips.map(freeNodePort))
  const members = ips.map((ip, i) => `${ip}:${ports[i]}`).join(',')
  const env = { BNACOS_CLUSTER_MEMBERS: members, BNACOS_CLUSTER_SECRET: SECRET, BNACOS_DB_URL: db.url, BNACOS_INIT_ADMIN_PASSWORD: PASSWORD }
  // A's cluster port goes through a relay the test can cut: A listens elsewhere, peers still dial HTTP + 1001.
  const aPeerPort = await freePort()
  const relay = await startTcpProxy(ips[0], ports[0] + 1001, aPeerPort)
  const aEnv = { ...env, BNACOS_CLUSTER_LISTEN_PORT: String(aPeerPort) }
  const nodes: NodeProcess[] = await Promise.all(ips.map((ip, i) => startNode(ip, ports[i], i === 0 ? aEnv : env)))
  const clients: TestClient[] = []
  afterAll(async () => {
    for (const c of clients) c.close()
    removeNodes(...nodes)
    await relay.stop()
    await db.close()
  })
  const allUp = async () => {
    for (const n of nodes) {
      const r: any = await (await fetch(`${n.url}/nacos/v1/core/cluster/nodes?${login}`)).json()
      if (!r.data.every((m: any) => m.state === 'UP')) return false
    }
    return true
  }
  await within(15_000, allUp, 'all three nodes UP everywhere')

  test('an instance registered over gRPC on A is listed on B and C, and a subscriber on C is pushed', async () => {
    const sub = await sdk(nodes[2])
    clients.push(sub)
    await sub.request('SubscribeServiceRequest', { ...svc('grpc-svc'), subscribe: true, clusters: '' })
    const owner = await sdk(nodes[0])
    clients.push(owner)
    const sent = Date.now()
    const r = await owner.request('InstanceRequest', { ...svc('grpc-svc'), type: 'registerInstance', instance: inst('10.8.0.1', 8080) })
    expect(r.type).toBe('InstanceResponse')
    for (;;) {
      const p = await sub.nextPush(3_000)
      sub.ack(p)
      if (p.type === 'NotifySubscriberRequest' && p.body.serviceInfo.hosts.length === 1) {
        expect(p.body.serviceInfo.hosts[0]).toMatchObject({ ip: '10.8.0.1', port: 8080 })
        expect(Date.now() - sent).toBeLessThan(1_000)
        break
      }
    }
    await within(3_000, sameOn(nodes, 'grpc-svc', ['10.8.0.1:8080']), 'listed on A, B and C')
  })

  test('an operator\'s edit on C of the instance A owns shows on every node', async () => {
    const fields = { serviceName: 'grpc-svc', groupName: GROUP, ip: '10.8.0.1', port: '8080', clusterName: 'DEFAULT', weight: '5', ephemeral: 'true' }
    expect(await (await fetch(`${nodes[2].url}/nacos/v1/ns/instance?${form(fields)}`, { method: 'PUT' })).text()).toBe('ok')
    const weights = async () => {
      for (const n of nodes) {
        const r: any = await (await fetch(`${n.url}/nacos/v1/ns/instance/list?${form({ serviceName: 'grpc-svc', groupName: GROUP })}`)).json()
        if (r.hosts?.[0]?.weight !== 5) return false
      }
      return true
    }
    await within(12_000, weights, 'weight 5 on A, B and C')
  }, 20_000)

  test('an HTTP instance lives on the node responsible for it: registered, beaten and removed through any node', async () => {
    const [a, b, c] = nodes
    const fields = { serviceName: 'http-svc', groupName: GROUP, ip: '10.8.1.1', port: '9090' }
    expect(await (await fetch(`${b.url}/nacos/v1/ns/instance?${form(fields)}`, { method: 'POST' })).text()).toBe('ok')
    await within(3_000, sameOn(nodes, 'http-svc', ['10.8.1.1:9090']), 'HTTP instance listed everywhere')
    // Beats sent to each node meet the instance (forwarded to its node), so none answers "not found".
    for (const n of nodes) {
      const beat: any = await (await fetch(`${n.url}/nacos/v1/ns/instance/beat?${form({ ...fields, beat: JSON.stringify({ ip: '10.8.1.1', port: 9090, cluster: 'DEFAULT' }) })}`, { method: 'PUT' })).json()
      expect(beat.code).toBe(10200)
    }
    // Exactly one node owns the client (the others forwarded its beats rather than taking it over).
    const owners = await Promise.all(nodes.map(async (n) => ((await (await fetch(`${n.url}/nacos/v1/core/cluster/sync?${login}`)).json()) as any).data.naming.owned.http))
    expect(owners.reduce((x, y) => x + y, 0)).toBe(1)
    expect(await (await fetch(`${c.url}/nacos/v1/ns/instance?${form(fields)}`, { method: 'DELETE' })).text()).toBe('ok')
    await within(3_000, sameOn([a, b, c], 'http-svc', []), 'removed everywhere')
  })

  test('a partition of A\'s cluster port heals and every node converges within 30 s', async () => {
    const [a, b, c] = nodes
    relay.block()
    let healedAt = 0
    try {
      const during = await sdk(b)
      clients.push(during)
      await during.request('InstanceRequest', { ...svc('split-svc'), type: 'registerInstance', instance: inst('10.8.2.2', 8080) })
      await within(3_000, sameOn([b, c], 'split-svc', ['10.8.2.2:8080']), 'B and C see it during the partition')
      // A hears nothing from B and C: it learns of the instance only once the partition heals.
      await Bun.sleep(2_000)
      expect(await listed(a, 'split-svc')).toEqual([])
    } finally {
      relay.heal()
      healedAt = Date.now()
    }
    await within(30_000, sameOn(nodes, 'split-svc', ['10.8.2.2:8080']), 'converged after the heal')
    await within(30_000, sameOn(nodes, 'grpc-svc', ['10.8.0.1:8080']), 'A\'s own instance still everywhere')
    expect(Date.now() - healedAt).toBeLessThan(30_000)
  }, 70_000)

  test('after kill -9 of A its instances leave B and C; a restarted A catches up', async () => {
    const [a, b, c] = nodes
    const killed = Date.now()
    a.proc.kill(9)
    await within(25_000, sameOn([b, c], 'grpc-svc', []), 'A\'s instance gone from B and C')
    const took = Date.now() - killed
    expect(took).toBeLessThan(25_000)
    // The client of A reconnects to B and registers again, as the SDKs do.
    const moved = await sdk(b)
    clients.push(moved)
    await moved.request('InstanceRequest', { ...svc('grpc-svc'), type: 'registerInstance', instance: inst('10.8.0.1', 8080) })
    await within(3_000, sameOn([b, c], 'grpc-svc', ['10.8.0.1:8080']), 're-registered on B, listed on B and C')
    const restarted = await startNode(a.ip, a.httpPort, aEnv)
    nodes[0] = restarted
    await within(15_000, sameOn(nodes, 'grpc-svc', ['10.8.0.1:8080']), 'restarted A lists the re-registered instance')
    await within(15_000, sameOn(nodes, 'split-svc', ['10.8.2.2:8080']), 'restarted A lists B\'s instance')
    // The operator API shows where this node's replicas come from.
    const state: any = await (await fetch(`${restarted.url}/nacos/v1/core/cluster/sync?${login}`)).json()
    expect(state.data.naming.owners[`${b.ip}:${b.httpPort}`].clients).toBeGreaterThanOrEqual(2)
    expect(state.data.naming.snapshotsPulled).toBeGreaterThanOrEqual(2)
  }, 90_000)
})
