// Helpers of the benchmark drivers (run.ts, naming.ts): bounded child processes that are always stopped, loopback
// ports, /proc readings, the tools (wrk, the Go load generators of bench/load), starting bnacos, and the report.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'

export const root = join(import.meta.dir, '..')
export const bun = process.execPath
const live = new Set<Subprocess>()
const dirs: string[] = []

/** Kills every child still running (SIGKILL) and removes the temporary dirs; safe to call more than once. */
export function killAll() {
  for (const p of live) p.kill(9)
  live.clear()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
}
process.on('exit', killAll)
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => (killAll(), process.exit(130)))

/** Registers a child started elsewhere (one that needs its own pipes) so that killAll stops it too. */
export function adopt<T extends Subprocess>(proc: T): T {
  live.add(proc)
  proc.exited.then(() => live.delete(proc))
  return proc
}

/** Bounds the whole driver run: after `minutes`, whatever hangs, every child is killed and the driver exits 3. */
export function bound(minutes: number, say: (s: string) => void) {
  setTimeout(() => (say('overall time limit reached'), killAll(), process.exit(3)), minutes * 60_000)
}

/** Runs the driver's main and exits: 0 when it succeeds, 1 (with the error) when it fails; children are killed. */
export function finish(main: () => Promise<void>, tag: string) {
  main().then(
    () => (killAll(), process.exit(0)),
    (e) => {
      console.error(`[${tag}] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      killAll()
      process.exit(1)
    },
  )
}

/** A fresh temporary directory, removed when the driver ends. */
export function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

export interface Proc {
  proc: Subprocess<'ignore', 'pipe', 'pipe'>
  pid: number
  output(): string
}

/** Starts a long-running child (a server) whose output is kept for error messages. */
export function start(cmd: string[], env: Record<string, string> = {}): Proc {
  // Settings the caller's shell may hold (BNACOS_*) must not leak into the measured servers.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('BNACOS_')))
  const proc = adopt(Bun.spawn(cmd, { cwd: root, env: { ...base, ...env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' }))
  let out = ''
  for (const s of [proc.stdout, proc.stderr]) {
    ;(async () => {
      for await (const chunk of s) out = (out + new TextDecoder().decode(chunk)).slice(-4000)
    })()
  }
  return { proc, pid: proc.pid, output: () => out }
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(p: Proc, graceMs = 3000) {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return
  p.proc.kill('SIGTERM')
  const t = setTimeout(() => p.proc.kill(9), graceMs)
  await p.proc.exited
  clearTimeout(t)
}

/** Runs a command to completion within `timeoutMs` (killed after that) and returns its exit code and output. */
export async function run(cmd: string[], timeoutMs: number, env: Record<string, string> = {}) {
  const proc = Bun.spawn(cmd, { cwd: root, env: { ...process.env, ...env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  live.add(proc)
  const t = setTimeout(() => proc.kill(9), timeoutMs)
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  clearTimeout(t)
  live.delete(proc)
  const cpu = Number(proc.resourceUsage()?.cpuTime.total ?? 0) / 1e6 // CPU seconds the command used
  return { code, stdout, stderr, cpu, killed: proc.signalCode !== null }
}

/** Like `run`, but throws with the output when the command fails. */
export async function must(cmd: string[], timeoutMs: number, env: Record<string, string> = {}) {
  const r = await run(cmd, timeoutMs, env)
  if (r.code !== 0) throw new Error(`${cmd.join(' ')} failed (${r.killed ? 'timed out' : `exit ${r.code}`}):\n${r.stdout}\n${r.stderr}`)
  return r
}

function canListen(port: number): boolean {
  try {
    Bun.listen({ hostname: '127.0.0.1', port, socket: { data() {} } }).stop(true)
    return true
  } catch {
    return false
  }
}

/** A loopback port nobody listens on, with port + `plus` free too (bnacos's gRPC port is HTTP + 1000). */
export function freePort(plus = 0): number {
  for (let i = 0; i < 100; i++) {
    const port = 20000 + Math.floor(Math.random() * 30000)
    if (canListen(port) && (plus === 0 || canListen(port + plus))) return port
  }
  throw new Error('no free port')
}

/** Polls `url` until it answers 200; returns the ms waited. Throws if the process exits or `timeoutMs` passes. */
export async function waitReady(p: Proc, url: string, timeoutMs = 15_000, stepMs = 20): Promise<number> {
  const t0 = performance.now()
  while (performance.now() - t0 < timeoutMs) {
    if (p.proc.exitCode !== null) throw new Error(`server exited with ${p.proc.exitCode}: ${p.output()}`)
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).status === 200) return performance.now() - t0
    } catch {}
    await Bun.sleep(stepMs)
  }
  throw new Error(`not ready within ${timeoutMs} ms: ${url}\n${p.output()}`)
}

/** Waits until something accepts TCP connections on the loopback port. */
export async function waitListening(p: Proc, port: number, timeoutMs = 15_000) {
  const t0 = performance.now()
  while (performance.now() - t0 < timeoutMs) {
    if (p.proc.exitCode !== null) throw new Error(`server exited with ${p.proc.exitCode}: ${p.output()}`)
    const ok = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } }).then((s) => (s.end(), true), () => false)
    if (ok) return
    await Bun.sleep(20)
  }
  throw new Error(`nothing listens on ${port} within ${timeoutMs} ms\n${p.output()}`)
}

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM). */
export async function statusMB(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const m = (await Bun.file(`/proc/${pid}/status`).text()).match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))
  if (!m) throw new Error(`no ${field} for ${pid}`)
  return Number(m[1]) / 1024
}

/** CPU seconds (user + system, all threads) used so far by a process. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await Bun.file(`/proc/${pid}/stat`).text()
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

/** CPU seconds all processes of the machine have used so far (non-idle time of every CPU, from /proc/stat). */
export async function machineBusy(): Promise<number> {
  const f = (await Bun.file('/proc/stat').text()).split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number)
  return (f.reduce((a, b) => a + b, 0) - f[3] - f[4]) / 100 // minus idle and iowait, USER_HZ = 100
}

/** Measures over an async section, starting `skipMs` into it (warm-up): a process's CPU use and the whole machine's, in % of one core. */
export async function withCpu<T>(pid: number, skipMs: number, body: () => Promise<T>): Promise<[T, { server: number; machine: number }]> {
  let c0 = 0
  let m0 = 0
  let t0 = 0
  const mark = Bun.sleep(skipMs).then(async () => {
    ;[c0, m0] = [await cpuSeconds(pid), await machineBusy()]
    t0 = performance.now()
  })
  const r = await body()
  await mark
  const secs = (performance.now() - t0) / 1000
  const [c1, m1] = [await cpuSeconds(pid), await machineBusy()]
  return [r, { server: (100 * (c1 - c0)) / secs, machine: (100 * (m1 - m0)) / secs }]
}

/** Runs `fn` over 0..n-1 with at most `limit` calls in flight. */
export async function pool(n: number, limit: number, fn: (i: number) => Promise<void>) {
  let next = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) await fn(next++)
  }))
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]

/** Waits (at most `maxMs`) until the machine is near idle — under `pct`% of one core busy over a second — so that a
 *  measurement does not start while other processes (another build, a test run) hold the CPUs. Returns the last reading. */
export async function waitQuiet(maxMs: number, pct = 15): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    const b0 = await machineBusy()
    await Bun.sleep(1000)
    const busy = 100 * ((await machineBusy()) - b0)
    if (busy < pct || performance.now() - t0 > maxMs) return busy
  }
}

// ---- tools ----
export const goBin = Bun.which('go') ?? '/usr/local/go/bin/go'

/** Installs from Debian the packages of the commands that are missing (`command: package`); `apt-get update` runs only
 *  if the plain install fails. */
export async function ensureTools(say: (s: string) => void, need: Record<string, string>) {
  const pkgs = [...new Set(Object.entries(need).filter(([cmd]) => !Bun.which(cmd)).map(([, pkg]) => pkg))]
  if (pkgs.length === 0) return
  say(`installing ${pkgs.join(' and ')} from Debian`)
  const install = ['apt-get', 'install', '-y', '-q', ...pkgs]
  if ((await run(install, 300_000, { DEBIAN_FRONTEND: 'noninteractive' })).code !== 0) {
    await must(['apt-get', 'update', '-q'], 300_000)
    await must(install, 300_000, { DEBIAN_FRONTEND: 'noninteractive' })
  }
}

/** Builds one command of the Go module bench/load (`bench/load/cmd/<name>`) into the temp dir; returns its path. */
export async function buildLoad(name: 'grpcload' | 'namingload'): Promise<string> {
  const out = join(tmpdir(), `bnacos-bench-${name}`)
  await must([goBin, '-C', join(root, 'bench', 'load'), 'build', '-o', out, `./cmd/${name}`], 300_000)
  return out
}

/** The first line a tool prints (its version). */
export const toolVersion = async (cmd: string[]) => (await run(cmd, 10_000)).stdout.split('\n')[0].trim()

// ---- bnacos ----
export interface Bnacos {
  p: Proc
  http: string
  grpcPort: number
  readyMs: number
}

/** Starts bnacos (`cmd`) on free loopback ports (gRPC = HTTP + 1000) with a fresh data dir and waits for readiness,
 *  polling every `stepMs`. `env` adds settings; `check` may refuse the started server by throwing. A failed start is
 *  stopped and tried again (three times in all: a port may be taken between the check and the bind). */
export async function startBnacos(cmd: string[], o: { env?: Record<string, string>; stepMs?: number; check?: (b: Bnacos) => Promise<void> } = {}): Promise<Bnacos> {
  for (let attempt = 1; ; attempt++) {
    const port = freePort(1000)
    const env = { BNACOS_HOST: '127.0.0.1', BNACOS_HTTP_PORT: String(port), BNACOS_DATA_DIR: tempDir('bnacos-bench-'), BNACOS_LOG_LEVEL: 'warn', BNACOS_SHUTDOWN_GRACE_MS: '500', ...o.env }
    const p = start(cmd, env)
    const http = `http://127.0.0.1:${port}`
    try {
      const readyMs = await waitReady(p, `${http}/nacos/v1/console/health/readiness`, 15_000, o.stepMs ?? 5)
      const b = { p, http, grpcPort: port + 1000, readyMs }
      await o.check?.(b)
      return b
    } catch (e) {
      await stop(p)
      if (attempt === 3) throw e
    }
  }
}

// ---- wrk ----
/** One load measurement; CPU in % of one core, over the measured window. */
export interface Load {
  rps: number
  p50: number
  p99: number
  errors: number
  serverCpu: number
  clientCpu: number
  /** CPU used by everything else on the machine during the measurement. */
  othersCpu: number
  note?: string
}

/** `v` in `unit` (us, ms, s) as milliseconds. */
export const toMs = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]

/** What wrk printed: req/s, p50/p99 in ms (from `--latency`), and non-2xx plus socket errors. */
export function parseWrk(out: string): { rps: number; p50: number; p99: number; errors: number } {
  const lat = (p: string) => {
    const m = out.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)$`, 'm'))
    return m ? toMs(m[1], m[2]) : NaN
  }
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0)
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)
  const errors = non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0)
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? NaN), p50: lat('50'), p99: lat('99'), errors }
}

/** wrk -t1 -c50 for `dur` seconds against `url`, with CPU use of the server (`pid`), wrk and the rest of the machine. */
export async function wrk(url: string, pid: number, dur: number): Promise<Load> {
  const cmd = ['wrk', '-t1', '-c50', `-d${dur}s`, '--timeout', '5s', '--latency', url]
  const [r, cpu] = await withCpu(pid, 0, () => must(cmd, (dur + 20) * 1000))
  const client = (100 * r.cpu) / dur
  return { ...parseWrk(r.stdout), serverCpu: cpu.server, clientCpu: client, othersCpu: Math.max(0, cpu.machine - cpu.server - client) }
}

// ---- report ----
export const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : String(n))
export const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS')

/** A load as one table cell: req/s, latency, CPU of the server, the load tool and the rest, errors. */
export const loadText = (l: Load, tool = 'load tool', p50 = 'p50') =>
  `${fmt(l.rps)} req/s (${p50} ${fmt(l.p50, 2)} ms${Number.isNaN(l.p99) ? '' : `, p99 ${fmt(l.p99, 2)} ms`}; CPU: server ${fmt(l.serverCpu)}%, ${tool} ${fmt(l.clientCpu)}%, others ${fmt(l.othersCpu)}%${l.errors ? `; **${l.errors} errors**` : ''})`

/** The rows of a result table (Figure | Measured | Target | Result) and its markdown. */
export function table() {
  const rows: string[] = []
  return {
    row: (figure: string, value: string, target = '—', result = 'info') => void rows.push(`| ${figure} | ${value} | ${target} | ${result} |`),
    markdown: () => ['| Figure | Measured | Target | Result |', '|---|---|---|---|', ...rows].join('\n'),
  }
}

/** Waits before each measurement for a quiet machine (at most `maxMs`) and counts the ones that started busy anyway. */
export function quietGate(maxMs: number, say: (s: string) => void) {
  const gate = {
    busyStarts: 0,
    async wait() {
      const busy = await waitQuiet(maxMs)
      if (busy >= 15) (gate.busyStarts++, say(`machine still busy (${fmt(busy)}% of a core) after ${maxMs / 1000}s; measuring anyway`))
    },
    /** For the header: whether every measurement started quiet. */
    text: () => (gate.busyStarts ? `**${gate.busyStarts} started busy**` : 'all started quiet'),
  }
  return gate
}

const loadavg0 = loadavg() // when the driver starts
/** Commit, machine and time of the run, for the report header. */
export async function runInfo() {
  const git = async (...a: string[]) => (await run(['git', ...a], 10_000)).stdout.trim()
  const sha = (await git('rev-parse', '--short', 'HEAD')) || 'nogit'
  const dirty = (await git('status', '--porcelain', '--', 'src')) !== ''
  const cpu = (await Bun.file('/proc/cpuinfo').text()).match(/^model name\s*:\s*(.+)$/m)?.[1] ?? 'unknown'
  return {
    sha,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    commit: `\`${sha}\`${dirty ? ' with uncommitted changes under src/' : ''}`,
    machine: `${cpus().length} CPUs (nproc), ${cpu}, ${fmt(totalmem() / 2 ** 30, 1)} GiB memory; load average before the run ${loadavg0.map((l) => l.toFixed(2)).join(' / ')}`,
    tools: `Bun ${Bun.version}; ${(await toolVersion(['wrk', '-v'])).replace(/ Copyright.*/, '')}`,
    go: (await toolVersion([goBin, 'version'])).replace(/^go version /, ''),
  }
}

/** Writes the report to bench/results/<each name>, prints it and says where it went. */
export function writeResults(md: string, names: string[], say: (s: string) => void) {
  const dir = join(root, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  for (const n of names) writeFileSync(join(dir, n), md)
  console.log(md)
  say(`written ${names.map((n) => `bench/results/${n}`).join(' and ')}`)
}
