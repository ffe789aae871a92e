/**
 * Cluster pass of the conformance suite (issue 8; CONTRACT.md, "Cluster pass"), run by run.ts after the plain and
 * auth passes (or alone with `--cluster`).
 *
 * Starts a throw-away MariaDB (tests/support/dbserver.ts) and three bnacos nodes on 127.0.0.1/.2/.3
 * (tests/support/cluster.ts) sharing it, then for each Java SDK (java2, java3) runs
 * `dev.bnacos.compat.ClusterFailover` with NACOS_ADDR listing all three nodes. Protocol with the scenario:
 * it prints `CLUSTER CONNECTED <ip:port>` once its clients are set up on one node (step F1); the driver checks that
 * node's `sdkConnections`, kill -9's it and writes `KILLED <ip:port>` on the scenario's stdin; the scenario then
 * reports F2–F5. Before the next SDK the killed node is started again on the same address and data dir.
 *
 * RESULT lines are recorded as `cluster:<id>`; missing F1–F5 count as failures. Skipped (one `compat: SKIP` line,
 * nothing counted) only when MariaDB is not installed.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { readChildOutput } from './child-output'

export const CLUSTER_STEPS = ['F1', 'F2', 'F3', 'F4', 'F5']
const RESULT_RE = /^RESULT (\S+) (\S+) (PASS|FAIL) (\d+)(?: (.*))?$/
const IPS = ['127.0.0.1', '127.0.0.2', '127.0.0.3']
/** The scenario's own budget (no step starts after it) and the driver's hard limit for it. */
const SCENARIO_BUDGET_MS = 75_000
const SCENARIO_TIMEOUT_MS = 95_000

export interface ClusterPassOptions {
  workDir: string
  /** SDK ids to run (java2, java3; others are ignored). */
  ids: string[]
  runId: string
  record(id: string, step: string, ok: boolean, ms: number, detail: string): void
  printTail(title: string, path: string, lines: number): void
}

type NodeProcess = import('../support/cluster').NodeProcess

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function runClusterPass(o: ClusterPassOptions): Promise<void> {
  const ids = o.ids.filter((id) => id === 'java2' || id === 'java3')
  console.log(`compat: ===== cluster pass (run ${o.runId}) =====`)
  if (!ids.length) {
    console.log('compat: SKIP cluster pass: needs java2 or java3 among the selected SDKs')
    return
  }
  let db: import('../support/dbserver').DbServer | undefined
  const support = await loadSupport(o)
  if (!support) return
  const { dbserver, cluster } = support
  if (!dbserver.available().mariadb) {
    console.log('compat: SKIP cluster pass: MariaDB is not installed (/usr/sbin/mariadbd, /usr/bin/mariadb-install-db; apt-get install mariadb-server)')
    return
  }
  const nodes: (NodeProcess | undefined)[] = [undefined, undefined, undefined]
  const ports: number[] = []
  const dataDirs = IPS.map((ip) => mkdtempSync(join(o.workDir, `cluster-${ip}-`)))
  let env: Record<string, string> = {}
  const password = `Cp-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`
  const logs: string[] = []
  const saveLog = (i: number, n: NodeProcess | undefined) => {
    if (!n) return
    const path = join(o.workDir, `cluster-node${i + 1}-${n.ip}.log`)
    writeFileSync(path, n.output(), { flag: 'a' })
    if (!logs.includes(path)) logs.push(path)
  }
  // nodes still running when the driver exits (Ctrl-C, a crash) are killed with it
  const sweep = () => nodes.forEach((n) => n?.proc.kill(9))
  process.once('exit', sweep)
  const start = async (i: number) => {
    nodes[i] = await cluster.startNode(IPS[i], ports[i], env, dataDirs[i])
    console.log(`compat: cluster node ${IPS[i]}:${ports[i]} ready (pid ${nodes[i]!.proc.pid})`)
  }
  try {
    const t0 = Date.now()
    try {
      db = await dbserver.startMariaDb()
      console.log(`compat: cluster MariaDB on 127.0.0.1:${db.port} after ${Date.now() - t0} ms`)
      for (const ip of IPS) ports.push(await cluster.freeNodePort(ip))
      env = {
        BNACOS_CLUSTER_MEMBERS: IPS.map((ip, i) => `${ip}:${ports[i]}`).join(','),
        BNACOS_CLUSTER_SECRET: `compat-cluster-secret-${crypto.randomUUID()}`,
        BNACOS_DB_URL: db.url,
        BNACOS_INIT_ADMIN_PASSWORD: password,
        BNACOS_AUTH_ENABLED: 'false',
        BNACOS_NAMING_HEALTH_CHECK_MS: '600000',
      }
      // the first node alone (it creates the schema), then the two others together
      await start(0)
      await Promise.all([start(1), start(2)])
      o.record('cluster:bnacos', 'start', true, Date.now() - t0, `MariaDB + 3 nodes ${env.BNACOS_CLUSTER_MEMBERS}`)
    } catch (e) {
      o.record('cluster:bnacos', 'start', false, Date.now() - t0, oneLine(e instanceof Error ? e.message : String(e)))
      if (db) console.log(`----- MariaDB log (tail) -----\n${db.log().split('\n').slice(-20).join('\n')}\n----- end -----`)
      return
    }
    const addrs = IPS.map((ip, i) => `${ip}:${ports[i]}`)
    for (const id of ids) {
      // every node up before each SDK (the previous one killed one)
      for (let i = 0; i < 3; i++) {
        if (nodes[i] && nodes[i]!.proc.exitCode === null && nodes[i]!.proc.signalCode === null && !nodes[i]!.proc.killed) continue
        const t = Date.now()
        saveLog(i, nodes[i])
        try {
          await start(i)
          await waitAllUp(addrs, password, 15_000)
        } catch (e) {
          o.record(`cluster:${id}`, 'restart', false, Date.now() - t, `restarting ${addrs[i]}: ${oneLine(e instanceof Error ? e.message : String(e))}`)
        }
      }
      await runOne(id, o, addrs, nodes, password)
    }
  } finally {
    for (let i = 0; i < 3; i++) {
      nodes[i]?.proc.kill(9)
      saveLog(i, nodes[i])
    }
    await db?.close().catch(() => {})
    process.removeListener('exit', sweep)
    console.log(`compat: cluster node logs: ${logs.join(', ')}`)
  }
}

async function loadSupport(o: ClusterPassOptions) {
  try {
    // loaded here so a broken src/ (dbserver pulls in test settings) fails this pass only
    return { dbserver: await import('../support/dbserver'), cluster: await import('../support/cluster') }
  } catch (e) {
    o.record('cluster:bnacos', 'start', false, 0, `cannot load tests/support: ${oneLine(e instanceof Error ? e.message : String(e))}`)
    return null
  }
}

function oneLine(s: string): string {
  const r = s.replace(/\s+/g, ' ')
  return r.length > 600 ? `${r.slice(0, 597)}...` : r
}

/** A node's own view (`/nodes/self`) with the admin's credentials as query parameters. */
async function self(addr: string, password: string): Promise<any> {
  const r = await fetch(`http://${addr}/nacos/v1/core/cluster/nodes/self?username=nacos&password=${encodeURIComponent(password)}`, { signal: AbortSignal.timeout(2000) })
  const body = await r.text()
  if (r.status !== 200) throw new Error(`GET /nodes/self on ${addr}: ${r.status} ${body.slice(0, 200)}`)
  return JSON.parse(body).data
}

/** Waits until every node reports every member UP (after a restart). */
async function waitAllUp(addrs: string[], password: string, ms: number) {
  const deadline = Date.now() + ms
  let last = ''
  while (Date.now() < deadline) {
    try {
      const views = await Promise.all(
        addrs.map(async (a) => {
          const r = await fetch(`http://${a}/nacos/v1/core/cluster/nodes?username=nacos&password=${encodeURIComponent(password)}`, { signal: AbortSignal.timeout(2000) })
          return JSON.parse(await r.text()).data as { address: string; state: string }[]
        }),
      )
      last = JSON.stringify(views.map((v) => v.map((m) => `${m.address}=${m.state}`)))
      if (views.every((v) => v.length === addrs.length && v.every((m) => m.state === 'UP'))) return
    } catch (e) {
      last = String(e)
    }
    await sleep(250)
  }
  throw new Error(`members not all UP within ${ms} ms: ${last}`)
}

async function runOne(id: string, o: ClusterPassOptions, addrs: string[], nodes: (NodeProcess | undefined)[], password: string) {
  const rid = `cluster:${id}`
  const compatTmp = mkdtempSync(join(o.workDir, `cluster-${id}-`))
  const logPath = join(o.workDir, `cluster-${id}-run.log`)
  const logFd = openSync(logPath, 'a')
  console.log(`compat: running ${rid} (COMPAT_TMP ${compatTmp}, log ${logPath})`)
  const env: Record<string, string | undefined> = {
    ...process.env,
    NACOS_ADDR: addrs.join(','),
    COMPAT_TMP: compatTmp,
    COMPAT_RUN: o.runId,
    COMPAT_JAVA_MAIN: 'dev.bnacos.compat.ClusterFailover',
    COMPAT_BUDGET_MS: String(SCENARIO_BUDGET_MS),
  }
  delete env.NACOS_USER
  delete env.NACOS_PASS
  delete env.COMPAT_AUTH
  mkdirSync(compatTmp, { recursive: true })
  const t0 = Date.now()
  const child = spawn('bash', ['run.sh'], { cwd: join(import.meta.dir, id), env, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
  const seen = new Set<string>()
  let failures = 0
  let killing: Promise<void> | null = null
  const answer = (line: string) => {
    try {
      child.stdin!.write(`${line}\n`)
    } catch {}
  }
  const kill = async (addr: string) => {
    const i = addrs.indexOf(addr)
    const n = i >= 0 ? nodes[i] : undefined
    if (!n) {
      writeSync(logFd, `[driver] CONNECTED names ${addr}, not a node of ${addrs.join(',')}\n`)
      answer('ABORT')
      return
    }
    // which node(s) hold SDK connections: informative (the scenario itself knows where its clients are)
    const counts = await Promise.all(addrs.map((a) => self(a, password).then((m) => String(m?.extendInfo?.sdkConnections), (e) => `? (${oneLine(String(e)).slice(0, 80)})`)))
    const view = addrs.map((a, j) => `${a}=${counts[j]}`).join(' ')
    console.log(`compat: ${rid} connected to ${addr}; sdkConnections ${view}; kill -9 pid ${n.proc.pid}`)
    writeSync(logFd, `[driver] sdkConnections ${view}; kill -9 ${addr} (pid ${n.proc.pid})\n`)
    n.proc.kill(9)
    await Promise.race([n.proc.exited, sleep(5000)])
    answer(`KILLED ${addr}`)
  }
  const onLine = (line: string) => {
    writeSync(logFd, `${line}\n`)
    const c = /^CLUSTER CONNECTED (\S+)$/.exec(line)
    if (c) {
      killing = kill(c[1])
      return
    }
    const m = RESULT_RE.exec(line)
    if (!m) return
    const [, sid, step, verdict, ms, detail] = m
    if (sid !== id) console.log(`compat: warning: ${rid} printed a RESULT for id ${sid}: ${line}`)
    if (seen.has(step)) console.log(`compat: warning: ${rid} reported step ${step} more than once`)
    seen.add(step)
    if (verdict !== 'PASS') failures++
    o.record(rid, step, verdict === 'PASS', Number(ms), detail ?? '')
  }
  child.stdin!.on('error', () => {})
  const output = readChildOutput(child, onLine, logFd)
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)))
  const code = await Promise.race([exited, sleep(SCENARIO_TIMEOUT_MS).then(() => 'timeout' as const)])
  const ms = Date.now() - t0
  try {
    process.kill(-child.pid!, 'SIGKILL')
  } catch {}
  await Promise.race([output.done, sleep(2000)])
  output.flush()
  if (killing) await killing
  closeSync(logFd)
  if (code === 'timeout') {
    failures++
    o.record(rid, 'timeout', false, ms, `run.sh killed after ${SCENARIO_TIMEOUT_MS / 1000} s`)
  } else if (code !== 0) {
    failures++
    o.record(rid, 'exit', false, ms, `run.sh exited with code ${code}`)
  }
  for (const step of CLUSTER_STEPS) {
    if (!seen.has(step)) {
      failures++
      o.record(rid, step, false, 0, 'missing: no RESULT line for this step')
    }
  }
  console.log(`compat: ${rid} finished in ${(ms / 1000).toFixed(1)} s`)
  if (failures) o.printTail(`${rid} output`, logPath, 40)
}
