#!/usr/bin/env bun
/**
 * Conformance-suite driver (see CONTRACT.md and README.md in this folder).
 *
 *   bun tests/compat/run.ts [--only id,id] [--addr host:port] [--skip-prepare] [--timeout seconds] [--plain] [--auth] [--cluster]
 *
 * Discovers every SDK folder holding both `prepare.sh` and `run.sh`, prepares them (one after another),
 * then runs up to two passes: `plain` (bnacos without auth) and `auth` (bnacos with BNACOS_AUTH_ENABLED=true,
 * a random admin password and a 30 s token TTL; every scenario gets NACOS_USER / NACOS_PASS / COMPAT_AUTH=1).
 * `--plain` or `--auth` selects one pass; neither (or both) runs both, plain first. Each pass starts its own
 * bnacos (`bun src/main.ts`) on free ports with a fresh data dir unless `--addr` is given, runs each scenario
 * with a hard timeout and echoes its RESULT lines (auth-pass ids are prefixed `auth:`). The run ends with
 * ONE `N passed, N failed` line covering both passes.
 *
 * Third, the `cluster` pass (cluster.ts): MariaDB + three bnacos nodes, the Java SDKs fail over when the node they are
 * connected to is killed. `--cluster` runs only it; it runs after plain and auth when no pass is named, never with
 * `--addr`.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { readChildOutput } from './child-output'
import { runClusterPass } from './cluster'

const COMPAT_DIR = import.meta.dir
const REPO_ROOT = resolve(COMPAT_DIR, '..', '..')
const PREPARE_TIMEOUT_MS = 15 * 60_000
const DEFAULT_RUN_TIMEOUT_MS = 120_000
const READY_TIMEOUT_MS = 30_000
/** Steps every scenario must report. */
const CONFIG_STEPS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6']
/** Naming steps (issue 3): expected from an SDK as soon as it reports any N step. */
const NAMING_STEPS = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6']
/** Token lifetime of the auth pass; A1 sleeps past it (CONTRACT.md). */
const AUTH_TOKEN_TTL_SECONDS = 30
const RESULT_RE = /^RESULT (\S+) (\S+) (PASS|FAIL) (\d+)(?: (.*))?$/

interface Options {
  only: string[] | null
  addr: string | null
  skipPrepare: boolean
  runTimeoutMs: number
  passes: Pass[]
}

type Pass = 'plain' | 'auth' | 'cluster'

/** What differs between the two passes: the server's extra env, the scenario's extra env, the id prefix. */
interface PassConfig {
  pass: Pass
  /** `''` for the plain pass, `auth:` for the auth pass. */
  prefix: string
  serverEnv: Record<string, string>
  scenarioEnv: Record<string, string>
  password: string | null
}

function usage(msg?: string): never {
  if (msg) console.error(`run.ts: ${msg}`)
  console.error('usage: bun tests/compat/run.ts [--only id,id] [--addr host:port] [--skip-prepare] [--timeout seconds] [--plain] [--auth] [--cluster]')
  process.exit(2)
}

function parseArgs(argv: string[]): Options {
  const o: Options = { only: null, addr: null, skipPrepare: false, runTimeoutMs: DEFAULT_RUN_TIMEOUT_MS, passes: [] }
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
      case '--plain':
      case '--auth':
      case '--cluster': {
        const p = flag.slice(2) as Pass
        if (inline !== undefined) usage(`${flag} takes no value`)
        if (!o.passes.includes(p)) o.passes.push(p)
        break
      }
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
  // no pass named: all of them; always plain, auth, cluster in that order
  o.passes = (['plain', 'auth', 'cluster'] as Pass[]).filter((p) => o.passes.length === 0 || o.passes.includes(p))
  if (o.addr && o.passes.includes('cluster')) {
    if (o.passes.length === 1) usage('--cluster starts its own nodes and cannot use --addr')
    o.passes = o.passes.filter((p) => p !== 'cluster')
  }
  if (o.addr && o.passes.includes('auth') && !process.env.NACOS_PASS) {
    if (o.passes.length === 1) usage('--auth with --addr needs NACOS_USER / NACOS_PASS of that server in the environment')
    o.passes = ['plain'] // --addr without credentials: the auth pass cannot run against a server we did not start
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

async function startServer(workDir: string, pc: PassConfig): Promise<Server> {
  const port = await pickPorts()
  const tag = pc.pass === 'plain' ? 'server' : `${pc.pass}-server`
  const dataDir = join(workDir, `${tag}-data`)
  mkdirSync(dataDir, { recursive: true })
  const logPath = join(workDir, `${tag}.log`)
  const fd = openSync(logPath, 'a')
  const env: Record<string, string | undefined> = {
    ...process.env,
    BNACOS_HTTP_PORT: String(port),
    BNACOS_GRPC_PORT: String(port + 1000),
    BNACOS_DATA_DIR: dataDir,
    BNACOS_LOG_LEVEL: 'info',
    BNACOS_HOST: '127.0.0.1',
    // Persistent test instances live on loopback addresses where nothing listens; a 10-minute TCP check interval
    // keeps them healthy for the few milliseconds they exist (see CONTRACT.md, N6).
    BNACOS_NAMING_HEALTH_CHECK_MS: '600000',
    ...pc.serverEnv,
  }
  if (pc.pass === 'plain') delete env.BNACOS_AUTH_ENABLED
  const child = spawn(process.execPath, ['src/main.ts'], { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd], detached: true })
  closeSync(fd)
  const addr = `127.0.0.1:${port}`
  console.log(`compat: starting bnacos (${pc.pass} pass, pid ${child.pid}) http ${port} grpc ${port + 1000}, data ${dataDir}, log ${logPath}`)
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

async function runScenario(sdk: Sdk, workDir: string, addr: string, runId: string, timeoutMs: number, pc: PassConfig): Promise<boolean> {
  /** The id RESULT lines are recorded under: `java2` in the plain pass, `auth:java2` in the auth pass. */
  const rid = `${pc.prefix}${sdk.id}`
  const fileTag = rid.replace(/:/g, '-')
  const compatTmp = mkdtempSync(join(workDir, `${fileTag}-`))
  const logPath = join(workDir, `${fileTag}-run.log`)
  const logFd = openSync(logPath, 'a')
  const t0 = Date.now()
  console.log(`compat: running ${rid} (COMPAT_TMP ${compatTmp}, log ${logPath})`)
  const env: Record<string, string | undefined> = { ...process.env, NACOS_ADDR: addr, COMPAT_TMP: compatTmp, COMPAT_RUN: runId, ...pc.scenarioEnv }
  if (pc.pass === 'plain') {
    // the plain pass is anonymous whatever the caller's environment holds
    delete env.NACOS_USER
    delete env.NACOS_PASS
    delete env.COMPAT_AUTH
  }
  const child = spawn('bash', ['run.sh'], {
    cwd: sdk.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const seen = new Map<string, number>()
  let localFailed = 0
  const onLine = (line: string) => {
    writeSync(logFd, `${line}\n`)
    const m = RESULT_RE.exec(line)
    if (!m) return
    const [, id, step, verdict, ms, detail] = m
    if (id !== sdk.id) {
      console.log(`compat: warning: ${sdk.id} printed a RESULT for id ${id}: ${line}`)
    }
    seen.set(step, (seen.get(step) ?? 0) + 1)
    if (seen.get(step)! > 1) console.log(`compat: warning: ${rid} reported step ${step} more than once`)
    if (verdict !== 'PASS') localFailed++
    record(rid, step, verdict === 'PASS', Number(ms), detail ?? '')
  }
  const output = readChildOutput(child, onLine, logFd)

  const code = await waitExit(child, timeoutMs)
  const ms = Date.now() - t0
  if (code === 'timeout') {
    killGroup(child, 'SIGKILL')
    await waitExit(child, 5000)
  } else {
    // a scenario may leave helpers behind (SDK worker processes): end its group
    killGroup(child, 'SIGKILL')
  }
  await Promise.race([output.done, sleep(2000)])
  output.flush()
  closeSync(logFd)

  if (code === 'timeout') {
    localFailed++
    record(rid, 'timeout', false, ms, `run.sh killed after ${timeoutMs / 1000} s`)
  } else if (code !== 0) {
    localFailed++
    record(rid, 'exit', false, ms, `run.sh exited with code ${code}`)
  }
  const expected = [...CONFIG_STEPS, ...([...seen.keys()].some((s) => /^N\d+$/.test(s)) ? NAMING_STEPS : [])]
  for (const step of expected) {
    if (!seen.has(step)) {
      localFailed++
      record(rid, step, false, 0, 'missing: no RESULT line for this step')
    }
  }
  // A1 (token refresh) is reported only by auth-capable scenarios, so it is never counted as missing.
  if (pc.pass === 'auth' && !seen.has('A1')) console.log(`compat: note: ${rid} reported no A1 (scenario not auth-capable?)`)
  console.log(`compat: ${rid} finished in ${(ms / 1000).toFixed(1)} s`)
  if (localFailed) printTail(`${rid} output`, logPath, 40)
  return localFailed === 0
}

// ---------------------------------------------------------------------------------------------------

function passConfig(pass: Pass, addrGiven: boolean): PassConfig {
  if (pass === 'plain') return { pass, prefix: '', serverEnv: {}, scenarioEnv: {}, password: null }
  // a random admin password per run; with --addr the caller's credentials of that server are used instead
  const password = addrGiven ? process.env.NACOS_PASS! : `Cp-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`
  const user = addrGiven ? (process.env.NACOS_USER || 'nacos') : 'nacos'
  return {
    pass,
    prefix: 'auth:',
    serverEnv: {
      BNACOS_AUTH_ENABLED: 'true',
      BNACOS_INIT_ADMIN_PASSWORD: password,
      BNACOS_AUTH_TOKEN_TTL_SECONDS: String(AUTH_TOKEN_TTL_SECONDS),
    },
    scenarioEnv: { NACOS_USER: user, NACOS_PASS: password, COMPAT_AUTH: '1' },
    password,
  }
}

/**
 * Auth pass only: checks that the server really enforces auth (an anonymous config read is refused) and that
 * the scenario credentials log in; otherwise a pass full of PASS lines would prove nothing.
 */
async function checkAuthEnforced(addr: string, pc: PassConfig) {
  const t0 = Date.now()
  const user = pc.scenarioEnv.NACOS_USER
  try {
    const anon = await fetch(`http://${addr}/nacos/v1/cs/configs?dataId=compat-probe&group=DEFAULT_GROUP`, { signal: AbortSignal.timeout(5000) })
    const anonBody = (await anon.text()).slice(0, 120)
    const login = await fetch(`http://${addr}/nacos/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: user, password: pc.password! }),
      signal: AbortSignal.timeout(5000),
    })
    const loginBody = await login.text()
    let token = ''
    try {
      token = String(JSON.parse(loginBody).accessToken ?? '')
    } catch {}
    const ok = (anon.status === 401 || anon.status === 403) && login.status === 200 && token !== ''
    record(`${pc.prefix}bnacos`, 'enforced', ok, Date.now() - t0,
      `anonymous GET /nacos/v1/cs/configs -> ${anon.status} ${JSON.stringify(anonBody)}; login as ${user} -> ${login.status}${token ? ' with accessToken' : ` ${JSON.stringify(loginBody.slice(0, 120))}`}`)
  } catch (e) {
    record(`${pc.prefix}bnacos`, 'enforced', false, Date.now() - t0, e instanceof Error ? e.message : String(e))
  }
}

async function runPass(pass: Pass, opts: Options, ready: Sdk[], workDir: string, onServer: (s: Server | null) => void) {
  const pc = passConfig(pass, opts.addr !== null)
  const runId = Math.random().toString(16).slice(2, 10)
  const failedBefore = failed
  console.log(`compat: ===== ${pass} pass (run ${runId}) =====`)
  let server: Server | null = null
  if (opts.addr) {
    server = { child: null, logPath: null, addr: opts.addr }
    const r = await readiness(opts.addr)
    console.log(`compat: using running server ${opts.addr} (readiness: ${r ? `${r.status} ${r.body}` : 'no answer'})`)
  } else {
    const t0 = Date.now()
    try {
      server = await startServer(workDir, pc)
    } catch (e) {
      record(`${pc.prefix}bnacos`, 'start', false, Date.now() - t0, e instanceof Error ? e.message : String(e))
      printTail(`${pass} server log`, join(workDir, pass === 'plain' ? 'server.log' : `${pass}-server.log`), 50)
      return
    }
  }
  onServer(server)
  if (pass === 'auth') await checkAuthEnforced(server.addr, pc)
  for (const sdk of ready) {
    await runScenario(sdk, workDir, server.addr, runId, opts.runTimeoutMs, pc)
    if (server.child && (server.child.exitCode !== null || server.child.signalCode !== null)) {
      record(`${pc.prefix}bnacos`, 'alive', false, 0, `server exited (code ${server.child.exitCode ?? server.child.signalCode}) during ${sdk.id}`)
      break
    }
  }
  await stopServer(server)
  onServer(null)
  if (failed > failedBefore && server.logPath) printTail(`${pass} server log`, server.logPath, 50)
}

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
  // the cluster pass alone needs only the Java SDKs prepared
  if (opts.passes.length === 1 && opts.passes[0] === 'cluster') sdks = sdks.filter((s) => s.id === 'java2' || s.id === 'java3')
  const workDir = mkdtempSync(join(tmpdir(), 'bnacos-compat-'))
  console.log(`compat: SDKs ${sdks.map((s) => s.id).join(', ') || '(none)'}; passes ${opts.passes.join(', ')}; work dir ${workDir}`)

  const ready: Sdk[] = []
  for (const sdk of sdks) {
    if (opts.skipPrepare || (await prepare(sdk, workDir))) ready.push(sdk)
  }

  let server: Server | null = null
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.log(`compat: ${sig}, stopping`)
      ;(server ? stopServer(server) : Promise.resolve()).finally(() => process.exit(130))
    })
  }

  if (ready.length) {
    for (const pass of opts.passes) {
      if (pass === 'cluster') {
        await runClusterPass({ workDir, ids: ready.map((s) => s.id), runId: Math.random().toString(16).slice(2, 10), record, printTail })
      } else {
        await runPass(pass, opts, ready, workDir, (s) => (server = s))
      }
    }
  }

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
