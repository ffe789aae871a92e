// Issue 8's cluster scenario for configs: a throw-away database server, three real node processes on
// 127.0.0.1/.2/.3 sharing it, then writes, pushes, kill -9, restart, a frozen node and a database restart. Run on
// MariaDB (replication.test.ts) and PostgreSQL (replication-pg.test.ts), one file each so one cluster runs at a time.
import { afterAll, describe, expect, test } from 'bun:test'
import { freeNodePort, removeNodes, startNode, within, type NodeProcess } from '../support/cluster'
import { remoteConfigStore } from '../../src/config/store-remote'
import { openRemote } from '../../src/storage/remote-open'
import type { DbServer } from '../support/dbserver'

const SECRET = 'replication-test-secret-0123456789abcdef'
const PASSWORD = 'cluster-test-password'
const GROUP = 'REPL_GROUP'

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' }

/** Publishes over the 1.x OpenAPI; returns the HTTP status and body. */
async function publish(n: NodeProcess, dataId: string, content: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`${n.url}/nacos/v1/cs/configs`, { method: 'POST', headers: formHeaders, body: form({ dataId, group: GROUP, content }) })
  return { status: r.status, body: await r.text() }
}

/** Reads over the 1.x OpenAPI; undefined when the node answers 404. */
async function read(n: NodeProcess, dataId: string): Promise<string | undefined> {
  const r = await fetch(`${n.url}/nacos/v1/cs/configs?${form({ dataId, group: GROUP })}`)
  if (r.status === 404) return undefined
  if (r.status !== 200) throw new Error(`read ${dataId} on ${n.url}: ${r.status} ${await r.text()}`)
  return r.text()
}

/** Starts an HTTP long poll for one key whose client holds `md5`; resolves with the changed keys line. */
function longPoll(n: NodeProcess, dataId: string, md5: string, timeoutMs = 10_000): Promise<string> {
  const listening = `${dataId}\u0002${GROUP}\u0002${md5}\u0001`
  return fetch(`${n.url}/nacos/v1/cs/configs/listener`, {
    method: 'POST',
    headers: { ...formHeaders, 'Long-Pulling-Timeout': String(timeoutMs) },
    body: form({ 'Listening-Configs': listening }),
  }).then((r) => r.text())
}

const md5 = (s: string) => new Bun.CryptoHasher('md5').update(s).digest('hex')

/** The scenario on the database `start` brings up (skipped when `installed` is false). */
export function replicationScenario(name: string, installed: boolean, start: () => Promise<DbServer>) {
  describe.skipIf(!installed)(`three nodes on one ${name}`, async () => {
    const db: DbServer = await start()
    const ips = ['127.0.0.1', '127.0.0.2', '127.0.0.3']
    const ports = await Promise.all(ips.map(freeNodePort))
    const members = ips.map((ip, i) => `${ip}:${ports[i]}`).join(',')
    const env = { BNACOS_CLUSTER_MEMBERS: members, BNACOS_CLUSTER_SECRET: SECRET, BNACOS_INIT_ADMIN_PASSWORD: PASSWORD, BNACOS_DB_URL: db.url }
    const nodes: NodeProcess[] = await Promise.all(ips.map((ip, i) => startNode(ip, ports[i], env)))
    const [a, b, c] = nodes
    afterAll(async () => {
      removeNodes(...nodes)
      await db.close()
    })

    test('a write on one node is read on the others', async () => {
      expect(await publish(a, 'shared.yaml', 'v: 1')).toEqual({ status: 200, body: 'true' })
      for (const n of [b, c]) await within(3_000, async () => (await read(n, 'shared.yaml')) === 'v: 1', `read on ${n.url}`)
    })

    test('a listener on C is pushed within 1 s of a write on A', async () => {
      await publish(a, 'pushed.properties', 'k=1')
      await within(3_000, async () => (await read(c, 'pushed.properties')) === 'k=1', 'first version on C')
      const poll = longPoll(c, 'pushed.properties', md5('k=1'))
      await Bun.sleep(200) // the long poll is held now
      const sent = Date.now()
      await publish(a, 'pushed.properties', 'k=2')
      const changed = await poll
      expect(Date.now() - sent).toBeLessThan(1_000)
      expect(decodeURIComponent(changed)).toContain('pushed.properties')
      expect(await read(c, 'pushed.properties')).toBe('k=2')
    })

    test('two nodes publishing the same new key at once leave one row and agree on it', async () => {
      const results = await Promise.all(nodes.map((n, i) => publish(n, 'race.txt', `from ${i}`)))
      expect(results.every((r) => r.status === 200)).toBe(true)
      // A node applies its own write to its cache after the commit, so it can briefly hold its own (older) version
      // over a peer's newer one; the change-log tail repairs that within one round (2 s).
      const agreed = async () => new Set(await Promise.all(nodes.map((n) => read(n, 'race.txt')))).size === 1
      await within(5_000, agreed, 'all three nodes agree')
      const hist: any = await (await fetch(`${b.url}/nacos/v1/cs/history?search=accurate&${form({ dataId: 'race.txt', group: GROUP })}`)).json()
      expect(hist.totalCount).toBe(3) // one insert and two updates, none lost
    })

    test('a node killed with -9 catches up with the writes it missed when restarted', async () => {
      removeNodes(a)
      await publish(b, 'while-down.txt', 'written while A was down')
      await publish(c, 'shared.yaml', 'v: 2')
      const restarted = await startNode(a.ip, a.httpPort, env)
      nodes[0] = restarted
      expect(await read(restarted, 'while-down.txt')).toBe('written while A was down')
      expect(await read(restarted, 'shared.yaml')).toBe('v: 2')
    })

    test('a paused node (SIGSTOP) converges once it runs again', async () => {
      const frozen = nodes[2]
      frozen.proc.kill('SIGSTOP')
      try {
        await publish(nodes[0], 'during-freeze.txt', 'missed the notification')
        await publish(nodes[1], 'shared.yaml', 'v: 3')
      } finally {
        frozen.proc.kill('SIGCONT')
      }
      const took = await within(30_000, async () => (await read(frozen, 'during-freeze.txt')) === 'missed the notification' && (await read(frozen, 'shared.yaml')) === 'v: 3', 'frozen node converged')
      expect(took).toBeLessThan(30_000)
    })

    test('a write whose notification never arrives reaches every node through the change log', async () => {
      // A store with no peers to tell: as if every ConfigChanged message of that write were lost.
      const silent = await openRemote(db.url)
      try {
        const content = 'written without a notification'
        const hash = md5(content)
        await remoteConfigStore(silent).saveFormal({
          dataId: 'silent.txt', group: GROUP, namespace: 'public', content, md5: hash, appName: '', type: 'text', desc: '', use: '', effect: '',
          schema: '', configTags: '', encryptedDataKey: '', srcUser: '', srcIp: '', modifiedAt: Date.now(),
        }, { srcUser: '', srcIp: '' })
        for (const n of nodes) await within(6_000, async () => (await read(n, 'silent.txt')) === content, `change log tail on ${n.url}`)
      } finally {
        await silent.close()
      }
    })

    test('a database restart costs writes only while it is down; reads keep working', async () => {
      for (const n of nodes) await within(5_000, async () => (await read(n, 'shared.yaml')) === 'v: 3', `v: 3 on ${n.url}`)
      await db.stop()
      try {
        const refused = await publish(nodes[1], 'during-outage.txt', 'x')
        expect(refused.status).toBe(503)
        for (const n of nodes) expect(await read(n, 'shared.yaml')).toBe('v: 3')
      } finally {
        await db.start()
      }
      await within(15_000, async () => (await publish(nodes[1], 'after-outage.txt', 'back')).status === 200, 'writes resume')
      for (const n of nodes) await within(5_000, async () => (await read(n, 'after-outage.txt')) === 'back', `after outage on ${n.url}`)
      expect(await read(nodes[0], 'during-outage.txt')).toBeUndefined()
    })

    test('each node shows its replication state; a resync finds nothing left to repair', async () => {
      const login = `username=nacos&password=${PASSWORD}`
      for (const n of nodes) {
        const state: any = await (await fetch(`${n.url}/nacos/v1/core/cluster/sync?${login}`)).json()
        expect(state.data.config.lastSeq).toBeGreaterThan(0)
      }
      expect((await fetch(`${nodes[2].url}/nacos/v1/core/cluster/resync`, { method: 'POST' })).status).toBe(403)
      const r = await (await fetch(`${nodes[2].url}/nacos/v1/core/cluster/resync?${login}`, { method: 'POST' })).json()
      expect(r).toMatchObject({ code: 200, data: { configKeysRepaired: 0 } })
    })
  })
}
