// Helpers of bench/cluster.ts: the three-node cluster on a throw-away MariaDB (started exactly as the cluster tests
// start it), wrk on several nodes at once, and the long-poll push rounds.
import { join } from 'node:path'
import { freeNodePort, removeNodes, startNode, type NodeProcess } from '../tests/support/cluster'
import { cpuSeconds, machineBusy, must, parseWrk, root, tempDir } from './lib'

export const GROUP = 'BENCH'
const SECRET = 'bench-cluster-secret-0123456789abcdef'
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' }
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
/** The MD5 hex a Nacos client sends for content it holds. */
export const md5 = (s: string) => new Bun.CryptoHasher('md5').update(s).digest('hex')

/** A server the benchmark loads: its HTTP base URL and its pid (for CPU readings). */
export interface Target {
  name: string
  http: string
  pid: number
}

/** Publishes over the 1.x OpenAPI; throws unless the node answers 200 `true`. */
export async function publish(http: string, dataId: string, content: string): Promise<void> {
  const r = await fetch(`${http}/nacos/v1/cs/configs`, { method: 'POST', headers: formHeaders, body: form({ dataId, group: GROUP, content }) })
  const body = await r.text()
  if (r.status !== 200 || body !== 'true') throw new Error(`publish ${dataId} on ${http}: ${r.status} ${body}`)
}

/** Reads over the 1.x OpenAPI; undefined on 404. */
export async function read(http: string, dataId: string): Promise<string | undefined> {
  const r = await fetch(`${http}/nacos/v1/cs/configs?${form({ dataId, group: GROUP })}`)
  if (r.status === 404) return undefined
  if (r.status !== 200) throw new Error(`read ${dataId} on ${http}: ${r.status} ${await r.text()}`)
  return r.text()
}

/** Polls until every node reads the same content for `dataId` (`content` when given); returns the ms it took,
 *  throws after `ms`. */
export async function converged(http: string[], dataId: string, content: string | undefined, ms: number): Promise<number> {
  const t0 = performance.now()
  while (performance.now() - t0 < ms) {
    const got = await Promise.all(http.map((h) => read(h, dataId).catch(() => undefined)))
    if (got.every((g) => g !== undefined && g === (content ?? got[0]))) return performance.now() - t0
    await Bun.sleep(20)
  }
  throw new Error(`${dataId} not the same on ${http.join(', ')} within ${ms} ms`)
}

/** What the nodes logged about failed config writes: how many lines, and the first one (shortened). */
export function failureLogs(outputs: string[]): { count: number; first?: string } {
  const lines = outputs.flatMap((o) => o.split('\n')).filter((l) => l.includes('config write failed'))
  return { count: lines.length, first: lines[0]?.slice(0, 400) }
}

/** Three nodes on 127.0.0.1/.2/.3 sharing `dbUrl`, and how to stop them. */
export interface Cluster {
  nodes: NodeProcess[]
  targets: Target[]
  stop(): void
}

/** Starts three cluster nodes as tests/cluster/replication-scenario.ts does (no auth, one shared secret), logging
 *  at warn so that their kept output stays small under load. A failed start stops whatever did start. */
export async function startCluster(dbUrl: string): Promise<Cluster> {
  const ips = ['127.0.0.1', '127.0.0.2', '127.0.0.3']
  const ports = await Promise.all(ips.map(freeNodePort))
  const members = ips.map((ip, i) => `${ip}:${ports[i]}`).join(',')
  const env = { BNACOS_CLUSTER_MEMBERS: members, BNACOS_CLUSTER_SECRET: SECRET, BNACOS_INIT_ADMIN_PASSWORD: 'bench-cluster-password', BNACOS_DB_URL: dbUrl, BNACOS_LOG_LEVEL: 'warn' }
  const started = await Promise.allSettled(ips.map((ip, i) => startNode(ip, ports[i], env, tempDir('bnacos-bench-node-'))))
  const nodes = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  const stop = () => removeNodes(...nodes)
  // A node's kept output dies with the driver; a SIGKILL at exit makes sure no node outlives it.
  process.once('exit', stop)
  const failed = started.find((s) => s.status === 'rejected')
  if (failed) {
    stop()
    throw (failed as PromiseRejectedResult).reason
  }
  const targets = nodes.map((n, i) => ({ name: 'ABC'[i], http: n.url, pid: n.proc.pid }))
  return { nodes, targets, stop }
}

/** Runs `fn` up to `attempts` times, waiting `waitMs` after a failure (other work may leave src/ briefly broken). */
export async function retrying<T>(what: string, attempts: number, waitMs: number, say: (s: string) => void, fn: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (e) {
      if (i >= attempts) throw e
      say(`${what} failed (attempt ${i}/${attempts}), retrying in ${waitMs / 1000} s: ${String(e instanceof Error ? e.message : e).slice(0, 400)}`)
      await Bun.sleep(waitMs)
    }
  }
}

/** One wrk run's figures. */
export interface WrkOne {
  rps: number
  p50: number
  p99: number
  errors: number
  /** Non-2xx answers and socket errors (connect, read, write, timeout) apart, and the refusals the Lua printed. */
  non2xx: number
  socket: number
  /** Requests wrk completed (answered, whatever the status). */
  requests: number
  refused: string[]
}

/** wrk's output as a WrkOne. */
function parseOne(out: string): WrkOne {
  const base = parseWrk(out)
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0)
  const refused = out.split('\n').filter((l) => l.startsWith('refused: ')).map((l) => l.slice(9).trim())
  const requests = Number(out.match(/(\d+) requests in/)?.[1] ?? 0)
  return { ...base, non2xx, socket: base.errors - non2xx, requests, refused }
}

/** wrk on several targets at once: each one's figures, their sum, and CPU (% of one core) of the loaded servers, of
 *  the wrk processes and of everything else (MariaDB included). */
export interface WrkMany {
  per: (WrkOne & { name: string })[]
  rps: number
  errors: number
  serversCpu: number
  wrkCpu: number
  othersCpu: number
  conns: number
}

/** Runs one `wrk -t1 -c<conns>` per target concurrently for `dur` seconds on `path` (with an optional Lua script of
 *  bench/lua and per-target script arguments), measuring CPU over the same window. */
export async function wrkMany(targets: Target[], path: string, dur: number, conns: number, script?: { file: string; args: (t: Target) => string[] }): Promise<WrkMany> {
  const pids = targets.map((t) => t.pid)
  const cpu = async () => (await Promise.all(pids.map(cpuSeconds))).reduce((a, b) => a + b, 0)
  const [c0, m0, t0] = [await cpu(), await machineBusy(), performance.now()]
  const runs = await Promise.all(targets.map((t) => {
    const s = script ? ['-s', join(root, 'bench', 'lua', script.file), `${t.http}${path}`, '--', ...script.args(t)] : [`${t.http}${path}`]
    return must(['wrk', '-t1', `-c${conns}`, `-d${dur}s`, '--timeout', '5s', '--latency', ...s], (dur + 30) * 1000)
  }))
  const secs = (performance.now() - t0) / 1000
  const [c1, m1] = [await cpu(), await machineBusy()]
  const per = runs.map((r, i) => ({ name: targets[i].name, ...parseOne(r.stdout) }))
  const serversCpu = (100 * (c1 - c0)) / secs
  const wrkCpu = (100 * runs.reduce((a, r) => a + r.cpu, 0)) / secs
  return {
    per,
    rps: per.reduce((a, p) => a + p.rps, 0),
    errors: per.reduce((a, p) => a + p.errors, 0),
    serversCpu,
    wrkCpu,
    othersCpu: Math.max(0, (100 * (m1 - m0)) / secs - serversCpu - wrkCpu),
    conns: conns * targets.length,
  }
}

/** The `p`th percentile (nearest rank) of `xs`. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

/** Starts an HTTP long poll on `http` for one key whose client holds `hash`, as the 1.x SDK sends it (see
 *  tests/cluster/replication-scenario.ts); resolves with the changed-keys line (empty when it timed out). */
function longPoll(http: string, dataId: string, hash: string, timeoutMs: number): Promise<string> {
  return fetch(`${http}/nacos/v1/cs/configs/listener`, {
    method: 'POST',
    headers: { ...formHeaders, 'Long-Pulling-Timeout': String(timeoutMs) },
    body: form({ 'Listening-Configs': `${dataId}\u0002${GROUP}\u0002${hash}\u0001` }),
  }).then((r) => r.text())
}

/** Push latency samples of one listener/publisher pair: ms from publish start to the long poll's answer, and how
 *  long the publish itself took. */
export interface PushSeries {
  ms: number[]
  publishMs: number[]
  missing: number
  early: number
}

/** Creates the state of one push series on `dataId`: it is published on `writer` and read back on `listener`. */
export async function pushSeries(writer: string, listener: string, dataId: string) {
  let content = `push-0-${Date.now()}`
  await publish(writer, dataId, content)
  await converged([listener], dataId, content, 5_000)
  const s: PushSeries = { ms: [], publishMs: [], missing: 0, early: 0 }
  return {
    s,
    /** One round: a long poll held on the listener (`holdMs` after it was sent), then a publish on the writer. */
    async round(i: number, holdMs: number) {
      let answeredAt = 0
      const poll = longPoll(listener, dataId, md5(content), 10_000).then((t) => ((answeredAt = performance.now()), t))
      await Bun.sleep(holdMs)
      if (answeredAt) {
        // The listener's copy was not the one the poll claimed: not a push, so the round is not counted.
        s.early++
        await poll
        content = (await read(listener, dataId)) ?? content
        return
      }
      content = `push-${i}-${Date.now()}`
      const sent = performance.now()
      await publish(writer, dataId, content)
      s.publishMs.push(performance.now() - sent)
      const changed = decodeURIComponent(await poll)
      if (changed.includes(dataId)) s.ms.push(answeredAt - sent)
      else s.missing++
    },
  }
}
