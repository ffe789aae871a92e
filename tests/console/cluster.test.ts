// The console's cluster page on a real cluster: a throw-away MariaDB and two node processes (127.0.0.1 and .2),
// real Chromium signed in to node A. Both nodes listed UP; A's replication figures rendered section by section
// (config, naming with its per-owner table); the admin's Resync shows its result; a non-admin sees the figures
// but no button. A standalone server (admin.test.ts covers its node list) shows no replication card at all.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chromium, type Browser, type Page } from 'playwright-core'
import { freeNodePort, removeNodes, startNode, within, type NodeProcess } from '../support/cluster'
import { available, startMariaDb, type DbServer } from '../support/dbserver'
import { browserTestsRun, chromiumPath, login, startConsole } from './support'

const SECRET = 'console-cluster-test-secret-0123456789ab'
const PASSWORD = 'console-cluster-pw'

describe.skipIf(!browserTestsRun || !available().mariadb)('console cluster page on a two-node cluster', () => {
  let db: DbServer | undefined
  const nodes: NodeProcess[] = []
  let browser: Browser | undefined
  let a: NodeProcess
  let b: NodeProcess

  /** A fresh browser context (its own localStorage) on node A's console, signed in as `user`. */
  const signedIn = async (user: string, password: string): Promise<Page> => {
    const ctx = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    await ctx.addInitScript(() => localStorage.setItem('bnacos.lang', 'en'))
    const page = await ctx.newPage()
    page.setDefaultTimeout(15_000)
    await page.goto(`${a.url}/nacos/`)
    await login(page, user, password)
    await page.goto(`${a.url}/nacos/#/cluster`)
    return page
  }

  beforeAll(async () => {
    db = await startMariaDb()
    const ips = ['127.0.0.1', '127.0.0.2']
    const ports = await Promise.all(ips.map(freeNodePort))
    const env = {
      BNACOS_CLUSTER_MEMBERS: ips.map((ip, i) => `${ip}:${ports[i]}`).join(','), BNACOS_CLUSTER_SECRET: SECRET, BNACOS_DB_URL: db.url,
      BNACOS_INIT_ADMIN_PASSWORD: PASSWORD, BNACOS_AUTH_ENABLED: 'true',
    }
    // One after the other: the first runs the migrations, the second finds them done.
    nodes.push((a = await startNode(ips[0], ports[0], env)))
    nodes.push((b = await startNode(ips[1], ports[1], env)))
    const token = ((await (await fetch(`${a.url}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username: 'nacos', password: PASSWORD }) })).json()) as { accessToken: string }).accessToken
    await within(10_000, async () => {
      const r: any = await (await fetch(`${a.url}/nacos/v1/core/cluster/nodes`, { headers: { accessToken: token } })).json()
      return r.data.length === 2 && r.data.every((m: any) => m.state === 'UP')
    }, 'both nodes UP')
    const created = await fetch(`${a.url}/nacos/v1/auth/users`, { method: 'POST', headers: { accessToken: token }, body: new URLSearchParams({ username: 'viewer', password: 'viewer-pw-123' }) })
    expect(created.status).toBe(200)
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  }, 60_000)

  afterAll(async () => {
    await browser?.close().catch(() => {})
    removeNodes(...nodes)
    await db?.close()
  })

  test('both nodes UP, and this node’s figures rendered per section', async () => {
    const page = await signedIn('nacos', PASSWORD)
    const rows = page.locator('.ant-card', { hasText: 'Cluster nodes' }).locator('tbody tr.ant-table-row')
    await within(5000, async () => (await rows.count()) === 2 && (await page.locator('.ant-card', { hasText: 'Cluster nodes' }).innerText()).split('UP').length === 3, 'two UP rows')
    const sync = page.locator('#cluster-sync')
    await sync.waitFor()
    expect(await sync.innerText()).toContain('Replication on this node')
    // config: flat figures as a key/value table; times as dates, not epoch numbers.
    const config = page.getByTestId('sync-config')
    for (const field of ['lastSeq', 'lastTailAt', 'lastFullAt', 'repairs', 'notified']) expect(await config.innerText()).toContain(field)
    expect(await config.innerText()).not.toMatch(/\b1[6-9]\d{11}\b/)
    // naming: its own figures, `owned` (an object of scalars) as a sub-section with its own table.
    await page.getByTestId('sync-section-naming.owned').waitFor()
    expect(await page.getByTestId('sync-naming.owned').innerText()).toContain('grpc')
    expect(await page.getByTestId('sync-naming').innerText()).toContain('snapshotsPulled')
    await page.context().close()
  }, 30_000)

  test('the admin’s Resync runs after a confirmation and shows what it did', async () => {
    const page = await signedIn('nacos', PASSWORD)
    await page.locator('#cluster-resync').click()
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'OK' }).click()
    const result = page.locator('#cluster-resync-result')
    await result.waitFor()
    const text = await result.innerText()
    expect(text).toContain('Last resync')
    expect(text).toContain('configKeysRepaired')
    expect(text).toContain('namingSnapshotsPulled')
    expect(text).toContain('auth, namespace, naming')
    await page.locator('.ant-message', { hasText: 'Resync finished' }).waitFor()
    // The resync pulled B's snapshot, so the reloaded figures list B among the owners: one table row per owner.
    const owners = page.getByTestId('sync-naming.owners')
    await owners.waitFor()
    expect(await owners.innerText()).toContain(`${b.ip}:${b.httpPort}`)
    expect(await owners.innerText()).toContain('heardMsAgo')
    await page.context().close()
  }, 30_000)

  test('a signed-in non-admin sees the figures but no Resync button', async () => {
    const page = await signedIn('viewer', 'viewer-pw-123')
    await page.locator('#cluster-sync').waitFor()
    await page.getByTestId('sync-config').waitFor()
    expect(await page.locator('#cluster-resync').count()).toBe(0)
    await page.context().close()
  }, 30_000)

  test('node A’s /metrics counts the peer traffic; the process exposes it', async () => {
    const text = await (await fetch(`${a.url}/metrics`)).text()
    expect(text).toMatch(/bnacos_peer_requests_total\{direction="out",type="ClusterPing",outcome="ok"\} [1-9]/)
    expect(text).toMatch(/bnacos_peer_requests_total\{direction="in",type="ClusterPing",outcome="ok"\} [1-9]/)
    expect(text).toContain('bnacos_peer_request_duration_seconds_bucket{le="0.005",type="ClusterPing"}')
  })
})

describe.skipIf(!browserTestsRun)('console cluster page standalone', () => {
  test('no replication card: the sync API answers 404 and the page adds nothing', async () => {
    const c = await startConsole()
    try {
      expect((await c.api('/nacos/v1/core/cluster/sync')).status).toBe(404)
      await c.page.goto(`${c.baseUrl}#/cluster`)
      await c.page.locator('.ant-card', { hasText: 'Cluster nodes' }).locator('tbody tr.ant-table-row').first().waitFor()
      // Give the sync request time to come back before checking it rendered nothing.
      await Bun.sleep(300)
      expect(await c.page.locator('#cluster-sync').count()).toBe(0)
      expect(await c.page.locator('.ant-message-error').count()).toBe(0)
      expect(await (await fetch(c.baseUrl.replace(/nacos\/$/, 'metrics'))).text()).not.toContain('bnacos_peer_')
    } finally {
      await c.close()
    }
  }, 30_000)
})
