import { afterAll, describe, expect, test } from 'bun:test'
import { freeNodePort, failedStart, removeNodes, startNode, within, type NodeProcess } from '../support/cluster'
import { available, startMariaDb } from '../support/dbserver'
import { startTestServer } from '../support/server'

const SECRET = 'three-node-test-secret-0123456789abcdef'
const PASSWORD = 'cluster-test-password'
const login = `username=nacos&password=${PASSWORD}`
const getJson = async (url: string): Promise<any> => (await fetch(url)).json()
// Cluster mode needs a shared database; these tests only look at membership, so one server serves every group.
const db = available().mariadb ? await startMariaDb() : undefined
const DB_URL = db?.url ?? 'mysql://nobody@127.0.0.1:1/none'
afterAll(() => db?.close())

async function nodesOf(n: NodeProcess): Promise<any[]> {
  return (await getJson(`${n.url}/nacos/v1/core/cluster/nodes?${login}`)).data
}
const stateOf = async (n: NodeProcess, address: string) => (await nodesOf(n)).find((m) => m.address === address)?.state

describe.skipIf(!db)('three nodes on 127.0.0.1/.2/.3', async () => {
  const ips = ['127.0.0.1', '127.0.0.2', '127.0.0.3']
  const ports = await Promise.all(ips.map(freeNodePort))
  const members = ips.map((ip, i) => `${ip}:${ports[i]}`).join(',')
  const env = { BNACOS_CLUSTER_MEMBERS: members, BNACOS_CLUSTER_SECRET: SECRET, BNACOS_INIT_ADMIN_PASSWORD: PASSWORD, BNACOS_DB_URL: DB_URL }
  const nodes = await Promise.all(ips.map((ip, i) => startNode(ip, ports[i], env)))
  afterAll(() => removeNodes(...nodes))

  test('each sees the other two UP, with version and load', async () => {
    for (const n of nodes) {
      await within(10_000, async () => (await nodesOf(n)).every((m) => m.state === 'UP'), `all UP on ${n.url}`)
      const list = await nodesOf(n)
      expect(list.map((m) => m.address)).toEqual(members.split(','))
      for (const m of list) {
        const clusterPort = Number(m.address.split(':')[1]) + 1001
        expect(m).toMatchObject({ ip: expect.any(String), port: expect.any(Number), state: 'UP', failAccessCnt: 0, abilities: expect.any(Object) })
        expect(m.extendInfo).toMatchObject({ version: expect.any(String), lastRefreshTime: expect.any(Number), load: expect.any(Number), rssBytes: expect.any(Number), sdkConnections: 0, clusterPort })
      }
    }
  })

  test('says in the log that it runs as a cluster on the shared database', () => {
    expect(nodes[0].output()).toContain('cluster mode: configs, users, namespaces and persistent instances on the shared database')
  })

  test('self, self/health and the v2 forms', async () => {
    const n = nodes[1]
    const self = await getJson(`${n.url}/nacos/v1/core/cluster/nodes/self?${login}`)
    expect(self).toMatchObject({ code: 200, message: null, data: { address: `127.0.0.2:${ports[1]}`, ip: '127.0.0.2', port: ports[1], state: 'UP' } })
    expect(await getJson(`${n.url}/nacos/v1/core/cluster/nodes/self/health`)).toEqual({ code: 200, message: null, data: 'UP' })
    const v2 = await getJson(`${n.url}/nacos/v2/core/cluster/node/list?${login}&address=127.0.0.3`)
    expect(v2.code).toBe(0)
    expect(v2.data.map((m: any) => m.address)).toEqual([`127.0.0.3:${ports[2]}`])
    const v2self = await getJson(`${n.url}/nacos/v2/core/cluster/node/self?${login}`)
    expect(v2self).toMatchObject({ code: 0, message: 'success', data: { address: `127.0.0.2:${ports[1]}` } })
    expect(await getJson(`${n.url}/nacos/v2/core/cluster/node/self/health`)).toMatchObject({ code: 0, data: 'UP' })
  })

  test('the member list needs a signed-in user', async () => {
    expect((await fetch(`${nodes[0].url}/nacos/v1/core/cluster/nodes`)).status).toBe(403)
    expect((await fetch(`${nodes[0].url}/nacos/v2/core/cluster/node/list?username=nacos&password=wrong`)).status).toBe(403)
  })

  test('kill -9 of one: DOWN on the others within 6 s; restarted: UP again', async () => {
    const [a, b, c] = nodes
    a.proc.kill(9)
    await a.proc.exited
    const took = await within(6000, async () => (await stateOf(b, `127.0.0.1:${ports[0]}`)) === 'DOWN' && (await stateOf(c, `127.0.0.1:${ports[0]}`)) === 'DOWN', 'A DOWN on B and C')
    expect(took).toBeLessThan(6000)
    const down = (await nodesOf(b)).find((m) => m.address === `127.0.0.1:${ports[0]}`)
    expect(down.failAccessCnt).toBeGreaterThan(0)
    expect(down.extendInfo.lastError).toBeString()
    nodes[0] = await startNode('127.0.0.1', ports[0], env, a.dataDir)
    await within(8000, async () => (await stateOf(b, `127.0.0.1:${ports[0]}`)) === 'UP' && (await stateOf(c, `127.0.0.1:${ports[0]}`)) === 'UP', 'A UP again on B and C')
    await within(8000, async () => (await nodesOf(nodes[0])).every((m) => m.state === 'UP'), 'restarted A sees B and C UP')
  }, 30_000)
})

describe.skipIf(!db)('a node with another secret', async () => {
  const ports = await Promise.all(['127.0.0.1', '127.0.0.2'].map(freeNodePort))
  const members = `127.0.0.1:${ports[0]},127.0.0.2:${ports[1]}`
  const base = { BNACOS_CLUSTER_MEMBERS: members, BNACOS_INIT_ADMIN_PASSWORD: PASSWORD, BNACOS_DB_URL: DB_URL }
  const a = await startNode('127.0.0.1', ports[0], { ...base, BNACOS_CLUSTER_SECRET: SECRET })
  const b = await startNode('127.0.0.2', ports[1], { ...base, BNACOS_CLUSTER_SECRET: SECRET.replace('three', 'other') })
  afterAll(() => removeNodes(a, b))

  test('is never UP for the others, and the refusal is logged', async () => {
    await Bun.sleep(3000)
    expect(await stateOf(a, `127.0.0.2:${ports[1]}`)).not.toBe('UP')
    expect(await stateOf(b, `127.0.0.1:${ports[0]}`)).not.toBe('UP')
    const peer = (await nodesOf(a)).find((m) => m.address === `127.0.0.2:${ports[1]}`)
    expect(peer.extendInfo.lastError).toContain('signature is invalid')
    expect(a.output()).toContain('refused a peer call')
  })
})

describe.skipIf(!db)('nodes with different member lists', async () => {
  const ports = await Promise.all(['127.0.0.1', '127.0.0.2'].map(freeNodePort))
  const both = `127.0.0.1:${ports[0]},127.0.0.2:${ports[1]}`
  const base = { BNACOS_CLUSTER_SECRET: SECRET, BNACOS_INIT_ADMIN_PASSWORD: PASSWORD, BNACOS_DB_URL: DB_URL }
  const a = await startNode('127.0.0.1', ports[0], { ...base, BNACOS_CLUSTER_MEMBERS: both })
  const b = await startNode('127.0.0.2', ports[1], { ...base, BNACOS_CLUSTER_MEMBERS: `${both},127.0.0.3:${ports[1]}` })
  afterAll(() => removeNodes(a, b))

  test('are told so in the log, once', async () => {
    await within(6000, async () => a.output().includes('a member has a different member list'), 'warning on A')
    await Bun.sleep(2500)
    expect(a.output().split('a member has a different member list').length).toBe(2)
  })
})

describe('setup errors stop the start with the reason', () => {
  test('cluster mode without a secret', async () => {
    const port = await freeNodePort('127.0.0.1')
    const r = await failedStart({ BNACOS_HTTP_PORT: String(port), BNACOS_CLUSTER_MEMBERS: `127.0.0.1:${port},127.0.0.2:${port}` })
    expect(r.code).not.toBe(0)
    expect(r.output).toContain('requires BNACOS_CLUSTER_SECRET')
  })

  test('this node not in the list', async () => {
    const port = await freeNodePort('127.0.0.1')
    const r = await failedStart({ BNACOS_HTTP_PORT: String(port), BNACOS_CLUSTER_MEMBERS: `127.0.0.1:${port + 1},127.0.0.2:${port + 2}`, BNACOS_CLUSTER_SECRET: SECRET, BNACOS_DB_URL: DB_URL })
    expect(r.code).not.toBe(0)
    expect(r.output).toContain('is not in the member list')
  })
})

describe('standalone', async () => {
  const s = await startTestServer({ initAdminPassword: PASSWORD })
  afterAll(() => s.stop())

  test('lists one node, itself, UP', async () => {
    const r = await getJson(`${s.httpUrl}/nacos/v1/core/cluster/nodes?${login}`)
    expect(r.code).toBe(200)
    expect(r.data).toHaveLength(1)
    expect(r.data[0]).toMatchObject({ port: s.httpPort, state: 'UP', address: `${r.data[0].ip}:${s.httpPort}`, failAccessCnt: 0 })
    expect(r.data[0].extendInfo.version).toBe('test')
    const state = await getJson(`${s.httpUrl}/nacos/v1/console/server/state`)
    expect(state.startup_mode).toBe('standalone')
  })
})
