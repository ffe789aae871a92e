// Helpers of the benchmark driver: bounded child processes that are always stopped, loopback ports, /proc readings.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
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
  const proc = Bun.spawn(cmd, { cwd: root, env: { ...base, ...env }, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  live.add(proc)
  proc.exited.then(() => live.delete(proc))
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
