// Takes the console screenshots in docs/screenshots (1280x800): starts a bnacos on free ports with sample data,
// drives Debian's Chromium through playwright-core, and saves one PNG per main page.
//   bun scripts/screenshots.ts
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { startServer } from '../src/server'
import { parseSettings } from '../src/settings/settings'

const root = join(import.meta.dir, '..')
const outDir = join(root, 'docs', 'screenshots')
const admin = { username: 'nacos', password: 'screenshot-pw' }

async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 30000)
    try {
      for (const p of [port, port + 1000]) Bun.listen({ hostname: '127.0.0.1', port: p, socket: { data() {} } }).stop(true)
      return port
    } catch {}
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'bnacos-shots-'))
const settings = parseSettings({ host: '127.0.0.1', httpPort: String(await freePort()), dataDir, logLevel: 'warn', authEnabled: 'true', initAdminUsername: admin.username, initAdminPassword: admin.password }, 'screenshots')
const server = await startServer(settings)
const base = `http://127.0.0.1:${server.httpPort}`
const token = ((await (await fetch(`${base}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams(admin) })).json()) as { accessToken: string }).accessToken
const call = (path: string, form: Record<string, string>, method = 'POST') => fetch(`${base}${path}`, { method, headers: { accessToken: token }, body: new URLSearchParams(form) })

// Sample data: configs of several formats (one with three versions), a namespace, services with instances.
const publish = (dataId: string, group: string, type: string, content: string, extra: Record<string, string> = {}) =>
  call('/nacos/v1/cs/configs', { dataId, group, type, content, src_user: 'nacos', ...extra })
await call('/nacos/v1/console/namespaces', { customNamespaceId: 'staging', namespaceName: 'staging', namespaceDesc: 'Pre-production' })
await publish('order-service.yaml', 'DEFAULT_GROUP', 'yaml', 'server:\n  port: 8080\nspring:\n  datasource:\n    url: jdbc:mysql://db:3306/orders\n    pool-size: 10\n', { appName: 'order-service', config_tags: 'core,db' })
await publish('order-service.yaml', 'DEFAULT_GROUP', 'yaml', 'server:\n  port: 8080\nspring:\n  datasource:\n    url: jdbc:mysql://db:3306/orders\n    pool-size: 20\nfeature:\n  fast-checkout: true\n', { appName: 'order-service', config_tags: 'core,db' })
await publish('order-service.yaml', 'DEFAULT_GROUP', 'yaml', 'server:\n  port: 9090\nspring:\n  datasource:\n    url: jdbc:mysql://db-primary:3306/orders\n    pool-size: 20\n    timeout: 30s\nfeature:\n  fast-checkout: true\n  new-pricing: false\n', { appName: 'order-service', config_tags: 'core,db' })
await publish('payment.json', 'PAYMENT', 'json', '{\n  "provider": "stripe",\n  "retries": 3,\n  "currencies": ["EUR", "USD", "CNY"]\n}\n', { appName: 'payment' })
await publish('gateway.properties', 'DEFAULT_GROUP', 'properties', 'gateway.timeout=5000\ngateway.routes=orders,payments\n', { appName: 'gateway' })
await publish('logging.xml', 'INFRA', 'xml', '<configuration>\n  <root level="INFO"/>\n</configuration>\n')
await publish('limits.toml', 'INFRA', 'toml', '[limits]\nrequests_per_second = 200\nburst = 50\n')
await publish('banner.txt', 'DEFAULT_GROUP', 'text', 'Welcome to bnacos\n')
for (const [svc, ips] of [['order-service', ['10.0.1.11', '10.0.1.12', '10.0.1.13']], ['payment-service', ['10.0.2.21', '10.0.2.22']], ['gateway', ['10.0.0.5']]] as const) {
  for (const ip of ips) await call('/nacos/v1/ns/instance', { serviceName: svc, ip, port: '8080', ephemeral: 'false', weight: '1', metadata: JSON.stringify({ version: '1.4.2', zone: 'eu-west-1a' }) })
}

mkdirSync(outDir, { recursive: true })
const profile = mkdtempSync(join(tmpdir(), 'bnacos-shots-chromium-'))
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.BNACOS_CHROMIUM ?? '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 800 }, locale: 'en-US',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
})
const page: Page = browser.pages()[0] ?? (await browser.newPage())
page.setDefaultTimeout(15_000)
await browser.addInitScript(() => localStorage.setItem('bnacos.lang', 'en'))
const shot = async (name: string) => {
  await page.waitForLoadState('networkidle')
  // No spinner, no half-faded content: antd's transitions take a few hundred ms.
  await page.waitForFunction("!document.querySelector('.ant-spin-spinning, .ant-spin-blur, .ant-spin-container-hidden')")
  await page.waitForTimeout(400)
  await page.screenshot({ path: join(outDir, `${name}.png`) })
  console.log(`docs/screenshots/${name}.png`)
}
try {
  await page.goto(`${base}/nacos/`)
  await page.locator('#login-username').fill(admin.username)
  await page.locator('#login-password').fill(admin.password)
  await shot('login')
  await page.locator('#login-submit').click()
  await page.locator('#config-table tbody tr.ant-table-row').nth(5).waitFor()
  await shot('configs')
  const q = 'dataId=order-service.yaml&group=DEFAULT_GROUP&namespace='
  await page.goto(`${base}/nacos/#/configs/edit?${q}`)
  await page.locator('.config-editor .cm-line', { hasText: 'port: 9090' }).waitFor()
  await shot('config-edit')
  await page.goto(`${base}/nacos/#/configs/edit?namespace=`)
  await page.locator('#config-dataId').fill('inventory.yaml')
  await page.locator('#config-type').getByText('YAML', { exact: true }).click()
  await page.locator('.config-editor .cm-content').fill('inventory:\n  warehouse: berlin\n  capacity: 1200\n reorder-level: 100\n')
  await page.locator('#config-publish').click()
  await page.locator('#config-validation').waitFor()
  await page.locator('.config-editor .cm-lint-marker-error').waitFor()
  await page.locator('#config-validation').scrollIntoViewIfNeeded()
  await shot('config-validation')
  await page.reload() // drops the validation toast before the next picture
  await page.goto(`${base}/nacos/#/configs/history?${q}`)
  await page.locator('#history-table tbody tr.ant-table-row').nth(2).waitFor()
  await page.locator('#history-table tbody tr.ant-table-row').last().getByText('Compare with current').click()
  await page.locator('#diff-view .cm-merge-b .cm-line', { hasText: 'port: 9090' }).waitFor()
  // Let the modal's opening animation finish before the picture.
  await page.waitForFunction("!document.querySelector('.ant-zoom-enter, .ant-zoom-appear, .ant-fade-enter, .ant-fade-appear')")
  await page.waitForTimeout(300)
  await page.evaluate('document.activeElement && document.activeElement.blur()') // no focus ring on the close button
  await shot('history-diff')
  await page.goto(`${base}/nacos/#/namespaces`)
  await page.locator('#namespace-table tbody tr.ant-table-row').nth(1).waitFor()
  await shot('namespaces')
  await page.goto(`${base}/nacos/#/services`)
  await page.getByText('order-service').first().waitFor().catch(() => {})
  await shot('services')
} finally {
  await browser.close()
  await server.stop()
  rmSync(profile, { recursive: true, force: true })
  rmSync(dataDir, { recursive: true, force: true })
}
