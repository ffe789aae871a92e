// Cluster benchmark (issue 8): config reads on one node against three, config write throughput through one node and
// spread over three on the shared MariaDB, and cross-node push latency of an HTTP long poll. The database and the
// nodes are started as tests/cluster does (startMariaDb, startNode on 127.0.0.1/.2/.3). `npm run bench:cluster`
// (~3 min) or `npm run bench:cluster -- --quick` (~1.5 min). Writes bench/results/latest-cluster.md. See bench/README.md.
import { available, startMariaDb } from '../tests/support/dbserver'
import { bound, bun, ensureTools, finish, pool, quietGate, run, runInfo, startBnacos, stop, writeResults } from './lib'
import { converged, failureLogs, publish, pushSeries, read, retrying, startCluster, wrkMany, type PushSeries, type Target, type WrkMany } from './cluster-lib'
import { clusterReport, type Results } from './cluster-report'

const quick = process.argv.slice(2).includes('--quick')
/** dur/warm: wrk seconds measured and warm-up; rounds: push samples per series; holdMs: a long poll's head start. */
const P = quick ? { dur: 3, warm: 1, rounds: 20, quietMs: 3_000, holdMs: 100 } : { dur: 10, warm: 2, rounds: 50, quietMs: 10_000, holdMs: 150 }
const CONNS = 50 // per wrk, as bench/run.ts and bench/naming.ts load one server
const START_WAIT_MS = 60_000 // other work may leave src/ briefly unable to start: wait a minute, then retry
const say = (s: string) => console.error(`[bench:cluster] ${s}`)
bound(quick ? 7 : 12, say)

const READ_ID = 'bench.read'
const READ_CONTENT = '# bench config\nendpoint=http://svc-001.bench.local:8080\ntimeout=3000\nretries=3\n'.padEnd(200, '#')
const READ_PATH = `/nacos/v1/cs/configs?dataId=${READ_ID}&group=BENCH`
const WRITE_PATH = '/nacos/v1/cs/configs'

const gate = quietGate(P.quietMs, say)

/** One figure: wait for a quiet machine, warm up (not counted), then measure. */
async function measure(targets: Target[], path: string, script?: (run: string) => { file: string; args: (t: Target) => string[] }): Promise<WrkMany> {
  await gate.wait()
  await wrkMany(targets, path, P.warm, CONNS, script?.('warm'))
  return wrkMany(targets, path, P.dur, CONNS, script?.('run'))
}

const EXISTING = 100 // dataIds per node of the update figures, created before they run

/** The publish script: `keys` 0 = a new dataId every request, `EXISTING` = that node's existing dataIds in turn, 1 =
 *  one hot key shared by all nodes. New-key runs name their keys by run and phase so that none repeats. */
const publishes = (tag: string, keys: number) => (phase: string) => ({
  file: 'cluster-publish.lua',
  args: (t: Target) => (keys === 1 ? ['hot-', '1'] : keys === 0 ? [`${tag}-${phase}-${t.name}-`, '0'] : [`upd-${t.name}-`, String(keys)]),
})

async function standalone(R: Results) {
  say('standalone node (no cluster settings, embedded SQLite)')
  const solo = await retrying('standalone start', 3, START_WAIT_MS, say, () => startBnacos([bun, 'src/main.ts']))
  try {
    const t: Target = { name: 'S', http: solo.http, pid: solo.p.pid }
    await publish(t.http, READ_ID, READ_CONTENT)
    if ((await read(t.http, READ_ID)) !== READ_CONTENT) throw new Error('standalone: the read config does not read back')
    R.reads.push({ label: 'Standalone node (no cluster, embedded SQLite)', w: await measure([t], READ_PATH) })
    R.writes.push({ label: 'Standalone node (embedded SQLite), for reference', keys: 'new', w: await measure([t], WRITE_PATH, publishes('solo', 0)) })
  } finally {
    await stop(solo.p) // before the cluster starts: an idle node still holds memory and timers
  }
}

async function cluster(R: Results) {
  say('starting MariaDB')
  const db = await startMariaDb()
  try {
    say('starting three nodes on 127.0.0.1/.2/.3')
    const c = await retrying('cluster start', 3, START_WAIT_MS, say, () => startCluster(db.url))
    try {
      const all = c.targets
      const [a, , cNode] = all
      const urls = all.map((t) => t.http)
      await publish(a.http, READ_ID, READ_CONTENT)
      await converged(urls, READ_ID, READ_CONTENT, 5_000)

      say('config reads')
      R.reads.push({ label: 'Cluster node A alone (B and C running, idle)', w: await measure([a], READ_PATH) })
      R.reads.push({ label: 'Cluster nodes A + B + C at once (one wrk each, summed)', w: await measure(all, READ_PATH) })

      say('config writes')
      const w = (label: string, keys: string, targets: Target[], tag: string, n: number) => measure(targets, WRITE_PATH, publishes(tag, n)).then((x) => void R.writes.push({ label, keys, w: x }))
      await w('Through node A', 'new', [a], 'one', 0)
      await w('Spread over A + B + C', 'new', all, 'three', 0)
      await pool(all.length * EXISTING, 8, (i) => publish(a.http, `upd-${all[i % all.length].name}-${String(Math.floor(i / all.length)).padStart(4, '0')}`, 'v0'))
      await w('Through node A', `${EXISTING} existing`, [a], '', EXISTING)
      await w('Spread over A + B + C', `${EXISTING} existing per node`, all, '', EXISTING)
      await w('Through node A', 'one hot key', [a], '', 1)
      await w('Spread over A + B + C', 'one hot key', all, '', 1)
      R.writeFailureLogs = failureLogs(c.nodes.map((n) => n.output()))
      R.hotAgreeMs = await converged(urls, 'hot-0000', undefined, 10_000).catch(() => undefined)

      say(`push latency (${P.rounds} rounds per series)`)
      await gate.wait()
      const cross = await pushSeries(a.http, cNode.http, 'push.cross')
      const same = await pushSeries(a.http, a.http, 'push.same')
      const done = (s: PushSeries) => s.ms.length + s.missing >= P.rounds
      // Alternate the two series round by round, so that a noisy moment of the machine hits both alike.
      for (let i = 1; i <= P.rounds * 2 && !(done(cross.s) && done(same.s)); i++) {
        if (!done(cross.s)) await cross.round(i, P.holdMs)
        if (!done(same.s)) await same.round(i, P.holdMs)
      }
      R.push.push({ label: 'Listener on C, publish on A (cross-node)', s: cross.s })
      R.push.push({ label: 'Listener on A, publish on A (same node, baseline)', s: same.s })
    } finally {
      c.stop()
    }
  } finally {
    await db.close()
  }
}

async function main() {
  if (!available().mariadb) throw new Error('MariaDB is not installed (apt-get install mariadb-server; see docs/cluster.md)')
  await ensureTools(say, { wrk: 'wrk' })
  const t0 = performance.now()
  const info = await runInfo()
  const mariadb = (await run(['/usr/sbin/mariadbd', '--version'], 10_000)).stdout.trim().replace(/^\S+\s+Ver\s+/, '')
  const R: Results = { reads: [], writes: [], push: [] }
  await standalone(R)
  await cluster(R)
  const md = clusterReport(R, { ...info, mariadb, quick, dur: P.dur, warm: P.warm, conns: CONNS, rounds: P.rounds, holdMs: P.holdMs, quiet: gate.text(), runSecs: (performance.now() - t0) / 1000 })
  writeResults(md, [quick ? 'latest-cluster-quick.md' : 'latest-cluster.md'], say)
}

finish(main, 'bench:cluster')
