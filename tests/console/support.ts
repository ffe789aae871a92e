// Browser-test support: a real bnacos on free ports (auth on, known admin) and headless Debian Chromium driven by
// playwright-core, already logged in through the console's login page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startTestServer } from '../support/server'

/** Where Debian installs Chromium. */
export const chromiumPath = process.env.BNACOS_CHROMIUM ?? '/usr/bin/chromium'

/**
 * Whether the browser tests run: a developer machine without Chromium skips them, but CI (which installs it in
 * .ci/run) never does, so a missing browser there fails loudly instead of passing quietly.
 */
export const browserTestsRun = existsSync(chromiumPath) || !!process.env.CI

/** A running server and a signed-in browser page on its console. */
export interface ConsoleSession {
  /** The console's URL, e.g. http://127.0.0.1:PORT/nacos/ */
  baseUrl: string
  page: Page
  admin: { username: string; password: string }
  /** Calls the server's HTTP API as the admin (path like '/nacos/v1/cs/configs'); `form` is sent url-encoded. */
  api(path: string, init?: { method?: string; form?: Record<string, string> }): Promise<Response>
  close(): Promise<void>
}

/** Starts a server and a browser and logs in; `login: false` leaves the page on the login screen. */
export async function startConsole(opts: { login?: boolean; lang?: 'en' | 'zh' } = {}): Promise<ConsoleSession> {
  const admin = { username: 'nacos', password: 'console-test-pw' }
  const server = await startTestServer({ authEnabled: 'true', initAdminUsername: admin.username, initAdminPassword: admin.password })
  const userDataDir = mkdtempSync(join(tmpdir(), 'bnacos-chromium-'))
  let browser: BrowserContext | undefined
  try {
    // A persistent context on a fresh user-data-dir: nothing of another run (or the user's profile) leaks in.
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
      locale: 'en-US',
    })
    const page = browser.pages()[0] ?? (await browser.newPage())
    page.setDefaultTimeout(15_000)
    const baseUrl = `${server.httpUrl}/nacos/`
    // The console's language defaults to the browser's; tests pick one explicitly.
    await browser.addInitScript((lang) => {
      if (!localStorage.getItem('bnacos.lang')) localStorage.setItem('bnacos.lang', lang)
    }, opts.lang ?? 'en')
    await page.goto(baseUrl)
    if (opts.login !== false) await login(page, admin.username, admin.password)
    let token = ''
    const api: ConsoleSession['api'] = async (path, init = {}) => {
      if (!token) {
        const r = await fetch(`${server.httpUrl}/nacos/v1/auth/login`, { method: 'POST', body: new URLSearchParams(admin) })
        token = ((await r.json()) as { accessToken: string }).accessToken
      }
      const body = init.form ? new URLSearchParams(init.form) : undefined
      return fetch(`${server.httpUrl}${path}`, { method: init.method ?? (body ? 'POST' : 'GET'), body, headers: { accessToken: token } })
    }
    const b = browser
    return {
      baseUrl, page, admin, api,
      async close() {
        await b.close().catch(() => {})
        await server.stop()
        rmSync(userDataDir, { recursive: true, force: true })
      },
    }
  } catch (e) {
    await browser?.close().catch(() => {})
    await server.stop()
    rmSync(userDataDir, { recursive: true, force: true })
    throw e
  }
}

/** Logs in through the login page and waits for the shell's side menu. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.locator('#login-username').fill(username)
  await page.locator('#login-password').fill(password)
  await page.locator('#login-submit').click()
  await page.locator('#side-menu').waitFor()
}
