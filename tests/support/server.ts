// Starts a real bnacos in-process on free ports with its own data dir, for transport-level tests.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from '../../src/server'
import { parseSettings, type Settings } from '../../src/settings/settings'
import { catalog, type SettingKey } from '../../src/settings/catalog'

/** Finds a port nobody listens on (and, when `plus` is given, whose port + plus is free too). */
export async function freePort(plus = 0): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 30000)
    const ok = await Promise.all([port, port + plus].map((p) => canListen(p)))
    if (ok.every(Boolean)) return port
  }
  throw new Error('no free port')
}

async function canListen(port: number): Promise<boolean> {
  try {
    const s = Bun.listen({ hostname: '127.0.0.1', port, socket: { data() {} } })
    s.stop(true)
    return true
  } catch {
    return false
  }
}

/** Settings for a test server; `overrides` use the catalog keys with text values, as the env would. */
export async function testSettings(overrides: Partial<Record<SettingKey, string>> = {}): Promise<Settings> {
  const http = await freePort(1000)
  void catalog
  return parseSettings({ host: '127.0.0.1', httpPort: String(http), dataDir: mkdtempSync(join(tmpdir(), 'bnacos-test-')), logLevel: 'warn', ...overrides }, 'test')
}

/** Starts a server; remember to `await s.stop()`. */
export async function startTestServer(overrides: Partial<Record<SettingKey, string>> = {}): Promise<RunningServer & { settings: Settings; grpcAddress: string; httpUrl: string }> {
  const settings = await testSettings(overrides)
  const s = await startServer(settings)
  return Object.assign(s, { settings, grpcAddress: `127.0.0.1:${s.grpcPort}`, httpUrl: `http://127.0.0.1:${s.httpPort}` })
}
