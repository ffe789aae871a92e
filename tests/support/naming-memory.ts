// Naming test helpers: the whole app (or just the naming center with a clock tests move) over a real SQLite,
// HTTP sent straight to the handler (no port), and a fake gRPC connection for handler-level subscriptions.
import { createApp, type App } from '../../src/app'
import { parseSettings } from '../../src/settings/settings'
import type { HealthState } from '../../src/health/http'
import { createNaming, type Naming } from '../../src/naming/center'
import { instanceHttpV1 } from '../../src/naming/http-instance'
import { serviceHttpV1 } from '../../src/naming/http-service'
import { namingHttpV2 } from '../../src/naming/http-v2'
import type { RpcConnection } from '../../src/shared/rpc'
import { sqliteNamingStore } from '../../src/naming/store-sqlite'
import { openStorage, type SqliteStorage } from '../../src/storage/db'
import { buildHttpApp } from '../../src/transport/http/app'

export const namingReadyState: HealthState = { ready: () => ({ ok: true }), serverState: () => ({ version: 'test' }) }

/** Settings createApp needs; the push delay is short so tests wait little. */
export const namingSettings = {
  ...parseSettings({}, 'test'),
  configMaxContentBytes: 1024 * 1024,
  historyRetentionDays: 30,
  longPollMaxMs: 30_000,
  namingPushDelayMs: 20,
  namingEmptyServiceTtlMs: 60_000,
  namingHealthCheckMs: 5000,
}

/** Anything with the HTTP app's `handle`. */
export interface Handler {
  handle(req: Request): Response | Promise<Response>
}

export interface NamingApp {
  app: App
  storage: SqliteStorage
  n: Naming
  /** Stops the push timer and UDP socket, closes the database. */
  close(): void
}

/** The full app over `:memory:` (default) or a file database in `dataDir`. */
export async function namingApp(dataDir: string | ':memory:' = ':memory:'): Promise<NamingApp> {
  const storage = openStorage({ dataDir })
  const app = await createApp(storage, namingSettings, namingReadyState)
  return {
    app, storage, n: app.naming,
    close() {
      app.naming.pusher.stop()
      app.udp.stop()
      storage.close()
    },
  }
}

export interface Clock {
  now(): number
  advance(ms: number): void
}

export function clock(start = Date.UTC(2025, 0, 1)): Clock {
  let t = start
  return { now: () => t, advance: (ms) => void (t += ms) }
}

/** The naming center on an injected clock, with the naming HTTP APIs wired to it. */
export async function clockedNaming(): Promise<{ n: Naming; clock: Clock; storage: SqliteStorage; http: Handler }> {
  const storage = openStorage({ dataDir: ':memory:' })
  const c = clock()
  const n = await createNaming(sqliteNamingStore(storage.db), { pushDelayMs: 20 }, c.now)
  const http = buildHttpApp([instanceHttpV1(n), serviceHttpV1(n, 20), namingHttpV2(n)])
  return { n, clock: c, storage, http }
}

/**
 * Serves the app on a real loopback port and returns a Handler that sends each request there. Needed where the
 * server must see the peer's socket address (UDP pushes go only to the address a request came from).
 */
export function listening(app: App): Handler & { stop(): Promise<void> } {
  const server = app.http.listen({ hostname: '127.0.0.1', port: 0 }).server!
  return {
    handle: (req: Request) => {
      const u = new URL(req.url)
      return fetch(`http://127.0.0.1:${server.port}${u.pathname}${u.search}`, { method: req.method, headers: req.headers, body: req.body })
    },
    stop: () => server.stop(true),
  } as unknown as Handler & { stop(): Promise<void> }
}

export interface Reply {
  status: number
  text: string
  json(): any
}

/** One request through `handle`; params go in the query string (GET/DELETE default) or a form body. */
export async function call(h: Handler | App, method: string, path: string, params: Record<string, string | number | boolean> = {}, opts: { as?: 'query' | 'form'; headers?: Record<string, string> } = {}): Promise<Reply> {
  const handler: Handler = 'http' in h ? h.http : h
  const as = opts.as ?? (method === 'GET' || method === 'DELETE' ? 'query' : 'form')
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()
  const url = `http://bnacos.test${path}${as === 'query' && qs ? `?${qs}` : ''}`
  const headers: Record<string, string> = { ...opts.headers }
  let body: string | undefined
  if (as === 'form') {
    headers['content-type'] ??= 'application/x-www-form-urlencoded'
    body = qs
  }
  const res = await handler.handle(new Request(url, { method, headers, body }))
  const text = await res.text()
  return { status: res.status, text, json: () => JSON.parse(text) }
}

/** A gRPC connection as the naming handlers see it; `pushes` records what the server sent. */
export function fakeConnection(id: string, clientIp = '10.9.9.9', labels: Record<string, string> = {}) {
  const closers: (() => void)[] = []
  const pushes: { type: string; body: Record<string, unknown> }[] = []
  const conn: RpcConnection & { pushes: typeof pushes; close(): void } = {
    id, clientIp, labels, pushes, open: true,
    async push(type, body) {
      // Fan-out pushes arrive pre-serialised (RawJson); tests read them as objects.
      pushes.push({ type, body: 'raw' in body && typeof body.raw === 'string' ? JSON.parse(body.raw) : (body as Record<string, unknown>) })
      return {}
    },
    onClose: (fn) => void closers.push(fn),
    close() {
      ;(conn as { open: boolean }).open = false
      for (const f of closers) f()
    },
  }
  return conn
}

/** Calls a gRPC handler of the app directly. */
export async function rpc(app: App, type: string, body: Record<string, unknown>, connection: RpcConnection) {
  return app.rpc[type].handle({ body, headers: {}, connection })
}
