#!/usr/bin/env bun
/**
 * Conformance-suite driver (see CONTRACT.md and README.md in this folder).
 *
 *   bun tests/compat/run.ts [--only id,id] [--addr host:port] [--skip-prepare] [--timeout seconds]
 *
 * Discovers every SDK folder holding both `prepare.sh` and `run.sh`, prepares them (one after another),
 * starts bnacos (`bun src/main.ts`) on free ports with a fresh data dir unless `--addr` is given, runs
 * each scenario with a hard timeout, echoes its RESULT lines, and ends with `N passed, N failed`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const COMPAT_DIR = import.meta.dir
const REPO_ROOT = resolve(COMPAT_DIR, '..', '..')
const PREPARE_TIMEOUT_MS = 15 * 60_000
const DEFAULT_RUN_TIMEOUT_MS = 120_000
const READY_TIMEOUT_MS = 30_000
/** Steps every scenario must report. */
const CONFIG_STEPS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6']
/** Naming steps (issue 3): expected from an SDK as soon as it reports any N step. */
const NAMING_STEPS = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6']
const RESULT_RE = /^RESULT (\S+) (\S+) (PASS|FAIL) (\d+)(?: (.*))?$/

interface Options {
  only: string[] | null
  addr: string | null
  skipPrepare: boolean
  runTimeoutMs: number
}

function usage(msg?: string): never {
  if (msg) console.error(`run.ts: ${msg}`)
  console.error('usage: bun tests/compat/run.ts [--only id,id] [--addr host:port] [--skip-prepare] [--timeout seconds]')
  process.exit(2)
}

function parseArgs(argv: string[]): Options {
  const o: Options = { only: null, addr: null, skipPrepare: false, runTimeoutMs: DEFAULT_RUN_TIMEOUT_MS }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined || v === '') usage(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--only':
        o.only = value().split(',').map((s) => s.trim()).filter(Boolean)
        break
      case '--addr':
        o.addr = value()
        if (!/^[^:\s]+:\d+$/.test(o.addr)) usage(`--addr must be host:port, got ${o.addr}`)
        break
      case '--skip-prepare':
        o.skipPrepare = true
        break
      case '--timeout': {
        const s = Number(value())
        if (!Number.isFinite(s) || s <= 0) usage('--timeout needs a positive number of seconds')
        o.runTimeoutMs = s * 1000
        break
      }
      case '-h':
      case '--help':
        usage()
      default:
        usage(`unknown argument ${a}`)
    }
  }
  return o
}

// ---------------------------------------------------------------------------------------------------
// results

let passed = 0
let failed = 0
const failures: string[] = []

function record(id: string, step: string, ok: boolean, ms: number, detail: string) {
  const line = `RESULT ${id} ${step} ${ok ? 'PASS' : 'FAIL'} ${Math.round(ms)} ${detail || '-'}`
  console.log(line)
  if (ok) passed++
  else {
    failed++
    failures.push(line)
  }
}

// ---------------------------------------------------------------------------------------------------
// helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function tail(path: string, lines: number): string {
  try {
    const all = readFileSync(path, 'utf8').split('\n')
    if (all.length && all[all.length - 1] === '') all.pop()
    return all.slice(-lines).join('\n')
  } catch {
    return `(cannot read ${path})`
  }
}

function printTail(title: string, path: string, lines: number) {
  console.log(`----- ${title} (last ${lines} lines of ${path}) -----`)
  console.log(tail(path, lines))
  console.log(`----- end of ${title} -----`)
}

function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const srv = createServer()
    srv.once('error', () => res(false))
    srv.listen({ port, host: '0.0.0.0', exclusive: true }, () => srv.close(() => res(true)))
  })
}

async function pickPorts(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const p = 20000 + Math.floor(Math.random() * 20000)
    if ((await portFree(p)) && (await portFree(p + 1000))) return p
  }
  throw new Error('no free port pair (P, P+1000) found')
}

/** Kills a detached child's whole process group (it was started with its own group). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    try {
      child.kill(signal)
    } catch {}
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<number | null | 'timeout'> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((res) => {
    const t = setTimeout(() => res('timeout'), ms)
    child.once('exit', (code) => {
      clearTimeout(t)
      res(code)
    })
  })
}

interface Sdk {
  id: string
  dir: string
}

function discover(): Sdk[] {
  return readdirSync(COMPAT_DIR)
    .filter((name) => {
      const dir = join(COMPAT_DIR, name)
      return statSync(dir).isDirectory() && existsSync(join(dir, 'prepare.sh')) && existsSync(join(dir, 'run.sh'))
    })
    .sort()
    .map((id) => ({ id, dir: join(COMPAT_DIR, id) }))
}

// ---------------------------------------------------------------------------------------------------
// server

interface Server {
  child: ChildProcess | null
  logPath: string | null
  addr: string
}

async function readiness(addr: string): Promise<{ status: number; body: string } | null> {
  try {
    const r = await fetch(`http://${addr}/nacos/v1/console/health/readiness`, { signal: AbortSignal.timeout(2000) })
    return { status: r.status, body: (await r.text()).slice(0, 200) }
  } catch {
    return null
  }
}

async function startServer(workDir: string): Promise<Server> {
  const port = await pickPorts()
  const dataDir = join(workDir, 'server-data')
  mkdirSync(dataDir, { recursive: true })
  const logPath = join(workDir, 'server.log')
  const fd = openSync(logPath, 'a')
  const env = {
    ...process.env,
    BNACOS_HTTP_PORT: String(port),
    BNACOS_GRPC_PORT: String(port + 1000),
    BNACOS_DATA_DIR: dataDir,
    BNACOS_LOG_LEVEL: 'info',
    BNACOS_HOST: '127.0.0.1',
    // Persistent test instances live on loopback addresses where nothing listens; a 10-minute TCP check interval
    // keeps them healthy for the few milliseconds they exist (see CONTRACT.md, N6).
    BNACOS_NAMING_HEALTH_CHECK_MS: '600000',
  }
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd], detached: true })
  closeSync(fd)
  const addr = `127.0.0.1:${port}`
  console.log(`compat: starting bnacos (pid ${child.pid}) http ${port} grpc ${port + 1000}, data ${dataDir}, log ${logPath}`)
  const server: Server = { child, logPath, addr }
  const t0 = Date.now()
  let last: { status: number; body: string } | null = null
  while (Date.now() - t0 < READY_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`bnacos exited during startup (code ${child.exitCode ?? child.signalCode})`)
    }
    last = await readiness(addr)
    if (last?.status === 200) {
      console.log(`compat: bnacos ready after ${Date.now() - t0} ms`)
      return server
    }
    await sleep(200)
  }
  await stopServer(server)
  throw new Error(`bnacos not ready within ${READY_TIMEOUT_MS / 1000} s (last readiness: ${last ? `${last.status} ${last.body}` : 'no answer'})`)
}

async function stopServer(server: Server) {
  const child = server.child
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  killGroup(child, 'SIGTERM')
  if ((await waitExit(child, 5000)) === 'timeout') {
    console.log('compat: bnacos did not stop within 5 s of SIGTERM; killing it')
    killGroup(child, 'SIGKILL')
    await waitExit(child, 2000)
  }
}

// ---------------------------------------------------------------------------------------------------
// SDK phases

async function prepare(sdk: Sdk, workDir: string): Promise<boolean> {
  const logPath = join(workDir, `${sdk.id}-prepare.log`)
  const fd = openSync(logPath, 'a')
  const t0 = Date.now()
  const child = spawn('bash', ['prepare.sh'], { cwd: sdk.dir, stdio: ['ignore', fd, fd], detached: true, env: process.env })
  closeSync(fd)
  const code = await waitExit(child, PREPARE_TIMEOUT_MS)
  const ms = Date.now() - t0
  if (code === 'timeout') killGroup(child, 'SIGKILL')
  if (code === 0) {
    console.log(`compat: prepared ${sdk.id} in ${(ms / 1000).toFixed(1)} s`)
    return true
  }
  record(sdk.id, 'prepare', false, ms, code === 'timeout' ? `prepare.sh timed out after ${PREPARE_TIMEOUT_MS / 60000} min; log ${logPath}` : `prepare.sh exited ${code}; log ${logPath}`)
  printTail(`${sdk.id} prepare log`, logPath, 30)
  return false
}

async function runScenario(sdk: Sdk, workDir: string, addr: string, runId: string, timeoutMs: number): Promise<boolean> {
  const compatTmp = mkdtempSync(join(workDir, `${sdk.id}-`))
  const logPath = join(workDir, `${sdk.id}-run.log`)
  const logFd = openSync(logPath, 'a')
  const t0 = Date.now()
  console.log(`compat: running ${sdk.id} (COMPAT_TMP ${compatTmp}, log ${logPath})`)
  const child = spawn('bash', ['run.sh'], {
    cwd: sdk.dir,
    env: { ...process.env, NACOS_ADDR: addr, COMPAT_TMP: compatTmp, COMPAT_RUN: runId },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const seen = new Map<string, number>()
  let localFailed = 0
  let buf = ''
  const onLine = (line: string) => {
    writeSync(logFd, `${line}\n`)
    const m = RESULT_RE.exec(line)
    if (!m) return
    const [, id, step, verdict, ms, detail] = m
    if (id !== sdk.id) {
      console.log(`compat: warning: ${sdk.id} printed a RESULT for id ${id}: ${line}`)
    }
    seen.set(step, (seen.get(step) ?? 0) + 1)
    if (seen.get(step)! > 1) console.log(`compat: warning: ${sdk.id} reported step ${step} more than once`)
    if (verdict !== 'PASS') localFailed++
    record(sdk.id, step, verdict === 'PASS', Number(ms), detail ?? '')
  }
  child.stdout!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => {
    buf += chunk
    let i: number
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i).replace(/\r$/, ''))
      buf = buf.slice(i + 1)
    }
  })
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => writeSync(logFd, chunk))
  const stdoutDone = new Promise<void>((res) => child.stdout!.once('close', () => res()))

  const code = await waitExit(child, timeoutMs)
  const ms = Date.now() - t0
  if (code === 'timeout') {
    killGroup(child, 'SIGKILL')
    await waitExit(child, 5000)
  } else {
    // a scenario may leave helpers behind (SDK worker processes): end its group
    killGroup(child, 'SIGKILL')
  }
  await Promise.race([stdoutDone, sleep(2000)])
  if (buf.trim()) onLine(buf.trim())
  closeSync(logFd)

  if (code === 'timeout') {
    localFailed++
    record(sdk.id, 'timeout', false, ms, `run.sh killed after ${timeoutMs / 1000} s`)
  } else if (code !== 0) {
    localFailed++
    record(sdk.id, 'exit', false, ms, `run.sh exited with code ${code}`)
  }
  const expected = [...CONFIG_STEPS, ...([...seen.keys()].some((s) => /^N\d+$/.test(s)) ? NAMING_STEPS : [])]
  for (const step of expected) {
    if (!seen.has(step)) {
      localFailed++
      record(sdk.id, step, false, 0, 'missing: no RESULT line for this step')
    }
  }
  console.log(`compat: ${sdk.id} finished in ${(ms / 1000).toFixed(1)} s`)
  if (localFailed) printTail(`${sdk.id} output`, logPath, 40)
  return localFailed === 0
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2))
  const all = discover()
  let sdks = all
  if (opts.only) {
    const known = new Set(all.map((s) => s.id))
    for (const id of opts.only) {
      if (!known.has(id)) record(id, 'setup', false, 0, `no SDK folder tests/compat/${id} with prepare.sh and run.sh`)
    }
    sdks = all.filter((s) => opts.only!.includes(s.id))
  }
  const workDir = mkdtempSync(join(tmpdir(), 'bnacos-compat-'))
  const runId = Math.random().toString(16).slice(2, 10)
  console.log(`compat: SDKs ${sdks.map((s) => s.id).join(', ') || '(none)'}; run ${runId}; work dir ${workDir}`)

  const ready: Sdk[] = []
  for (const sdk of sdks) {
    if (opts.skipPrepare || (await prepare(sdk, workDir))) ready.push(sdk)
  }

  let server: Server | null = null
  const stop = async () => {
    if (server) await stopServer(server)
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.log(`compat: ${sig}, stopping`)
      stop().finally(() => process.exit(130))
    })
  }

  let serverOk = true
  if (ready.length) {
    if (opts.addr) {
      server = { child: null, logPath: null, addr: opts.addr }
      const r = await readiness(opts.addr)
      console.log(`compat: using running server ${opts.addr} (readiness: ${r ? `${r.status} ${r.body}` : 'no answer'})`)
    } else {
      const t0 = Date.now()
      try {
        server = await startServer(workDir)
      } catch (e) {
        serverOk = false
        record('bnacos', 'start', false, Date.now() - t0, e instanceof Error ? e.message : String(e))
        printTail('server log', join(workDir, 'server.log'), 50)
      }
    }
  }

  if (server && serverOk) {
    for (const sdk of ready) {
      await runScenario(sdk, workDir, server.addr, runId, opts.runTimeoutMs)
      if (server.child && (server.child.exitCode !== null || server.child.signalCode !== null)) {
        record('bnacos', 'alive', false, 0, `server exited (code ${server.child.exitCode ?? server.child.signalCode}) during ${sdk.id}`)
        break
      }
    }
  }

  await stop()
  if (failed && server?.logPath) printTail('server log', server.logPath, 50)
  if (failures.length) {
    console.log('compat: failures:')
    for (const f of failures) console.log(`  ${f}`)
  }
  console.log(`compat: logs in ${workDir}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main().catch((e) => {
  console.error(`run.ts crashed: ${e instanceof Error ? e.stack : String(e)}`)
  console.log(`${passed} passed, ${failed + 1} failed`)
  process.exit(1)
})
