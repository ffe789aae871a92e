// The console's frame in real Chromium: login refusal and success, /nacos without a slash, the language switch,
// changing one's own password, logout, and an expired session sending the user back to login.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { browserTestsRun, login, startConsole, type ConsoleSession } from './support'

describe.skipIf(!browserTestsRun)('console: shell', () => {
  let c: ConsoleSession
  beforeAll(async () => {
    c = await startConsole({ login: false })
  }, 30_000)
  afterAll(async () => {
    await c?.close()
  }, 20_000)

  test('a wrong password is refused with the server\'s message; the right one opens the configs page', async () => {
    const p = c.page
    await p.locator('#login-username').fill(c.admin.username)
    await p.locator('#login-password').fill('wrong-password')
    await p.locator('#login-submit').click()
    const err = p.locator('.ant-message-error')
    await err.waitFor()
    expect((await err.textContent())?.trim().length).toBeGreaterThan(3)
    await p.locator('#login-password').fill(c.admin.password)
    await p.locator('#login-submit').click()
    await p.locator('#config-table').waitFor()
    expect(p.url()).toEndWith('#/configs')
  }, 20_000)

  test('/nacos without a trailing slash and a deep link both land in the console', async () => {
    const p = c.page
    await p.goto(c.baseUrl.replace(/\/$/, '') + '#/namespaces')
    await p.locator('#namespace-table').waitFor()
    expect(new URL(p.url()).pathname).toBe('/nacos/')
  }, 20_000)

  test('the language switch turns the console (and antd) to Chinese and back', async () => {
    const p = c.page
    await p.goto(`${c.baseUrl}#/configs`)
    await p.locator('#lang-switch').getByText('中文').click()
    await p.locator('#side-menu').getByText('配置管理').waitFor()
    await p.locator('#config-create').getByText('创建配置').waitFor()
    // antd's own strings follow: the empty table's text comes from antd's zh_CN locale. The choice survives a reload.
    await p.locator('#config-table .ant-empty-description').getByText('暂无数据').waitFor()
    await p.reload()
    await p.locator('#side-menu').getByText('配置管理').waitFor()
    await p.locator('#lang-switch').getByText('EN').click()
    await p.locator('#side-menu').getByText('Configurations').waitFor()
  }, 20_000)

  test('a user changes their own password, logs out, and logs in with the new one', async () => {
    const p = c.page
    await p.locator('#user-menu').hover()
    await p.getByText('Change password').click()
    await p.locator('#new-password').fill('second-pw-123')
    await p.locator('#confirm-password').fill('second-pw-124')
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    await p.getByText('The two passwords differ').waitFor()
    await p.locator('#confirm-password').fill('second-pw-123')
    await p.locator('.ant-modal').getByRole('button', { name: 'OK' }).click()
    await p.locator('.ant-message-success').getByText('Password changed').waitFor()
    const old = await fetch(`${c.baseUrl}v1/auth/login`, { method: 'POST', body: new URLSearchParams({ username: c.admin.username, password: c.admin.password }) })
    expect(old.status).toBe(403)

    await p.locator('#user-menu').hover()
    await p.getByText('Log out').click()
    await p.locator('#login-submit').waitFor()
    await p.goto(`${c.baseUrl}#/configs`)
    await p.locator('#login-submit').waitFor()
    await login(p, c.admin.username, 'second-pw-123')
  }, 20_000)

  test('behind a reverse proxy on a sub-path, the console loads, logs in and calls the API through the prefix', async () => {
    const origin = new URL(c.baseUrl).origin
    const seen: string[] = []
    // A minimal proxy: /ops/registry/nacos/... → the server's /nacos/...; nothing else is forwarded.
    const proxy = Bun.serve({
      hostname: '127.0.0.1', port: 0,
      async fetch(req) {
        const url = new URL(req.url)
        if (!url.pathname.startsWith('/ops/registry/nacos')) return new Response('not proxied', { status: 404 })
        seen.push(`${req.method} ${url.pathname}`)
        const target = origin + url.pathname.slice('/ops/registry'.length) + url.search
        const headers = new Headers(req.headers)
        headers.delete('host')
        const res = await fetch(target, { method: req.method, headers, body: req.method === 'GET' ? undefined : await req.arrayBuffer(), redirect: 'manual', decompress: false } as RequestInit)
        return new Response(res.body, { status: res.status, headers: res.headers })
      },
    })
    const page = await c.page.context().newPage()
    try {
      await page.goto(`http://127.0.0.1:${proxy.port}/ops/registry/nacos/#/configs`)
      await page.evaluate(() => localStorage.clear())
      await page.reload()
      await login(page, c.admin.username, 'second-pw-123')
      await page.locator('#config-table').waitFor()
      expect(seen).toContain('POST /ops/registry/nacos/v1/auth/login')
      expect(seen.some((s) => s.startsWith('GET /ops/registry/nacos/v1/cs/configs'))).toBe(true)
      expect(seen.some((s) => s.startsWith('GET /ops/registry/nacos/assets/'))).toBe(true)
    } finally {
      await page.close()
      proxy.stop(true)
    }
  }, 20_000)

  test('a token the server no longer accepts sends the user back to login', async () => {
    const p = c.page
    await p.evaluate(() => localStorage.setItem('bnacos.token', 'not-a-valid-token'))
    await p.goto(`${c.baseUrl}#/namespaces`)
    await p.reload()
    await p.locator('#login-submit').waitFor()
  }, 20_000)
})
