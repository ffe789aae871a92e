// Builds a config center or the whole app on a real in-memory SQLite, and sends HTTP requests straight to
// the app's handler (no port). Each call opens a fresh database, so tests do not share state.
import { createApp, type App } from '../../src/app'
import { createConfigCenter, type ConfigCenter } from '../../src/config/center'
import type { HealthState } from '../../src/health/http'
import { parseSettings } from '../../src/settings/settings'
import { sqliteConfigStore } from '../../src/config/store-sqlite'
import { namespaceExists } from '../../src/namespace/namespaces'
import { namespaceStore } from '../../src/namespace/store'
import { openStorage, type SqliteStorage } from '../../src/storage/db'

/** A clock tests can move: `now()` is what the config center reads. */
export interface TestClock {
  now(): number
  set(ms: number): void
  advance(ms: number): void
}

export function testClock(start = Date.UTC(2025, 0, 1)): TestClock {
  let t = start
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) }
}

export interface CenterOptions {
  maxContentBytes?: number
  historyRetentionDays?: number
  clock?: TestClock
}

/** A config center over a fresh, migrated in-memory database. */
export async function memoryCenter(opts: CenterOptions = {}): Promise<{ cc: ConfigCenter; storage: SqliteStorage; clock: TestClock }> {
  const storage = openStorage({ dataDir: ':memory:' })
  const clock = opts.clock ?? testClock()
  const cc = await createConfigCenter(sqliteConfigStore(storage.db), { maxContentBytes: opts.maxContentBytes ?? 1024, historyRetentionDays: opts.historyRetentionDays ?? 30 }, clock.now, async (id) => namespaceExists(namespaceStore(storage), id))
  return { cc, storage, clock }
}

export const readyState: HealthState = { ready: () => ({ ok: true }), serverState: () => ({ version: 'test' }) }

export interface AppOptions {
  configMaxContentBytes?: number
  historyRetentionDays?: number
  longPollMaxMs?: number
  authEnabled?: boolean
}

/**
 * The full app (every HTTP feature) over a fresh in-memory database. Settings are the catalog defaults (so new
 * settings need no change here) with a 1 KiB content limit unless `opts` says otherwise. Jobs are not started.
 */
export async function memoryApp(opts: AppOptions = {}): Promise<{ app: App; storage: SqliteStorage }> {
  const storage = openStorage({ dataDir: ':memory:' })
  const defaults = parseSettings({}, 'test')
  const settings = { ...defaults, configMaxContentBytes: 1024, ...opts }
  const app = await createApp(storage, settings, readyState)
  return { app, storage }
}

export interface CallOptions {
  headers?: Record<string, string>
  /** Where the parameters go; default: query string for GET/DELETE, form body for POST/PUT. */
  as?: 'query' | 'form'
  signal?: AbortSignal
}

export interface Reply {
  status: number
  text: string
  headers: Headers
  json(): any
}

/** Sends one request through `app.http.handle` and reads the whole reply. */
export async function call(app: App, method: string, path: string, params: Record<string, string> = {}, opts: CallOptions = {}): Promise<Reply> {
  const as = opts.as ?? (method === 'GET' || method === 'DELETE' ? 'query' : 'form')
  const qs = new URLSearchParams(params).toString()
  const url = `http://bnacos.test${path}${as === 'query' && qs ? `?${qs}` : ''}`
  const headers: Record<string, string> = { ...opts.headers }
  let body: string | undefined
  if (as === 'form') {
    headers['content-type'] ??= 'application/x-www-form-urlencoded'
    body = qs
  }
  const res = await app.http.handle(new Request(url, { method, headers, body, signal: opts.signal }))
  const text = await res.text()
  return { status: res.status, text, headers: res.headers, json: () => JSON.parse(text) }
}

/** Row counts of the config tables, to prove a refused request stored nothing. */
export function tableCounts(storage: SqliteStorage): { config: number; gray: number; history: number } {
  const n = (t: string) => (storage.sqlite.query(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n
  return { config: n('config_info'), gray: n('config_info_gray'), history: n('his_config_info') }
}

/** Every history row, oldest first, as stored. */
export function historyRows(storage: SqliteStorage): { nid: number; id: number; data_id: string; op_type: string; content: string; gray_name: string; publish_type: string; gmt_modified: number }[] {
  return storage.sqlite.query('SELECT * FROM his_config_info ORDER BY nid').all() as any
}
