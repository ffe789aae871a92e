// The markdown report of bench/cluster.ts: machine facts first (the core count decides what the read figures can
// show), then reads, writes and push latency as tables.
import { availableParallelism } from 'node:os'
import { CONFIG_SYNC_TIMING } from '../src/cluster/sync/config-sync'
import { pct, type PushSeries, type WrkMany } from './cluster-lib'
import { fmt } from './lib'

/** Everything the report shows. */
export interface Results {
  reads: { label: string; w: WrkMany }[]
  writes: { label: string; keys: string; w: WrkMany }[]
  /** ms until all three nodes read the same hot key after the three-node hot-key load (undefined: not within 10 s). */
  hotAgreeMs?: number
  /** Lines the cluster nodes logged for failed config writes during the write figures. */
  writeFailureLogs?: { count: number; first?: string }
  push: { label: string; s: PushSeries }[]
}

/** The run's facts for the header. */
export interface RunFacts {
  time: string
  commit: string
  machine: string
  tools: string
  mariadb: string
  quick: boolean
  dur: number
  warm: number
  conns: number
  rounds: number
  holdMs: number
  quiet: string
  runSecs: number
}

const ms = (n: number) => fmt(n, n < 10 ? 2 : 1)
const range = (xs: number[]) => (xs.length === 1 ? ms(xs[0]) : `${ms(Math.min(...xs))}–${ms(Math.max(...xs))}`)
const cpu = (w: WrkMany) => `${fmt(w.serversCpu)}% / ${fmt(w.wrkCpu)}% / ${fmt(w.othersCpu)}%`
const perNode = (w: WrkMany) => (w.per.length > 1 ? w.per.map((p) => `${p.name} ${fmt(p.rps)}`).join(', ') : '')
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`

function loadRows(rows: { label: string; keys?: string; w: WrkMany }[]): string[] {
  return rows.map(({ label, keys, w }) => {
    const cells = [label, ...(keys ? [keys] : []), `**${fmt(w.rps)}**`, perNode(w) || '—', range(w.per.map((p) => p.p50)), range(w.per.map((p) => p.p99)), fmt(w.conns), cpu(w), fmt(w.errors)]
    return `| ${cells.join(' | ')} |`
  })
}

function pushRow(label: string, s: PushSeries): string {
  const x = s.ms
  const cells = [label, `${x.length}`, ms(pct(x, 50)), ms(pct(x, 95)), ms(pct(x, 99)), ms(Math.max(...x)), ms(Math.min(...x)), ms(pct(s.publishMs, 50)), `${s.missing}`]
  return `| ${cells.join(' | ')} |`
}

/** One line per write figure with errors: what kind, and the first refusals wrk saw. */
function errorNotes(rows: { label: string; keys: string; w: WrkMany }[]): string {
  return rows
    .filter((r) => r.w.errors > 0)
    .map(({ label, keys, w }) => {
      const non2xx = w.per.reduce((a, p) => a + p.non2xx, 0)
      const samples = [...new Set(w.per.flatMap((p) => p.refused))].slice(0, 2).map((x) => `\`${x.replace(/`/g, "'")}\``)
      return `- Errors, ${label} (${keys}): ${fmt(w.errors)} of ${fmt(w.per.reduce((a, p) => a + p.requests, 0))} requests — ${fmt(non2xx)} refused (non-2xx), ${fmt(w.errors - non2xx)} socket errors (wrk's timeout is 5 s)${samples.length ? `; first refusals: ${samples.join(', ')}` : ''}.\n`
    })
    .join('')
}

/** "new 0.85×, …": each three-node write figure over the one-node figure before it. */
function spreadRatios(rows: { label: string; keys: string; w: WrkMany }[]): string {
  return rows
    .flatMap((r, i) => (r.label.startsWith('Through node A') && rows[i + 1] ? [`${r.keys} ${ratio(rows[i + 1].w.rps, r.w.rps)}`] : []))
    .join(', ')
}

/** What the nodes logged for the refused writes (the database's own error, which the 503 hides from the client). */
function logNote(l: Results['writeFailureLogs']): string {
  if (!l?.count) return ''
  return `- The cluster nodes logged ${fmt(l.count)} \`config write failed\` lines during the write figures; the first:\n  \`${(l.first ?? '').replace(/`/g, "'")}\`\n`
}

/** The whole report as markdown. */
export function clusterReport(R: Results, f: RunFacts): string {
  const cores = availableParallelism()
  const [solo, aAlone, three] = R.reads.map((r) => r.w)
  const total = (x: WrkMany) => x.rps
  return `# bnacos cluster benchmark — ${f.time} (${f.quick ? 'quick' : 'full'} run, \`npm run bench:cluster${f.quick ? ' -- --quick' : ''}\`)

- Commit ${f.commit}; run took ${fmt(f.runSecs)} s
- Machine: \`os.availableParallelism()\` = **${cores} cores**; ${f.machine}
- ${f.tools}; ${f.mariadb} (a throw-away server started as the cluster tests start it: \`startMariaDb()\`, 32 MB buffer pool, default durability)
- Nodes: \`bun src/main.ts\` processes — three cluster nodes on 127.0.0.1/.2/.3 sharing that MariaDB (\`BNACOS_CLUSTER_MEMBERS\`, no auth, log level warn), and a standalone node (no cluster settings, embedded SQLite) run alone before them
- Load: one \`wrk -t1 -c${f.conns} --latency\` per loaded node, all at once; ${f.warm} s warm-up (not counted), then ${f.dur} s measured; before each figure the driver waits for a quiet machine (${f.quiet})

> **${cores} cores: read throughput cannot scale with the number of nodes on this machine.** A node runs its
> JavaScript on one thread, so one node alone tops out near one core (node A alone: ${fmt(aAlone.serversCpu)}%, with
> wrk at ${fmt(aAlone.wrkCpu)}%). The three nodes, their three wrk processes and MariaDB all share the same ${cores} CPUs:
> together the nodes got ${fmt(three.serversCpu)}%, so the three-node sum can only grow by what one node left idle of the
> machine, and then it stops — the ${ratio(three.rps, aAlone.rps)} below is that idle remainder being used, not scaling. Each
> node answers a config read from its own in-memory copy (no database or peer call), so on separate machines read
> capacity is expected to add up; this run does not and cannot show it.

## Config reads — \`GET ${'/nacos/v1/cs/configs?dataId=bench.read&group=BENCH'}\` (200 B)

| Setup | req/s (sum) | per node | p50 ms | p99 ms | connections | CPU: nodes / wrk / others | errors |
|---|---:|---|---:|---:|---:|---|---:|
${loadRows(R.reads).join('\n')}

Three nodes ÷ node A alone: **${ratio(total(three), total(aAlone))}**; three nodes ÷ standalone: ${ratio(total(three), total(solo))}; node A alone ÷ standalone: ${ratio(total(aAlone), total(solo))}.
Latency cells with a range are the lowest–highest of the three wrk runs.

## Config writes — \`POST /nacos/v1/cs/configs\` (form body, new content every time)

| Setup | dataIds | writes/s (sum) | per node | p50 ms | p99 ms | connections | CPU: nodes / wrk / others (MariaDB in others) | errors |
|---|---|---:|---|---:|---:|---:|---|---:|
${loadRows(R.writes).join('\n')}

- *new*: every request publishes a dataId that does not exist yet (an insert); *${'existing'}*: each node's wrk cycles
  over its own dataIds, created before the figure (updates); *one hot key*: every request of every wrk rewrites the
  same dataId (updates of one row).
- Spread over three ÷ through one: ${spreadRatios(R.writes)}. Every write is one transaction on the shared database
  (config row, history, change log), then a notification to the peers; the database and the shared CPUs bound the
  sum, not the number of nodes.
- The latencies are mostly queueing: each wrk keeps ${f.conns} publishes in flight, so p50 ≈ connections ÷ writes/s.
  One publish on an otherwise idle cluster takes a few ms (the push rounds below time each one).
${errorNotes(R.writes)}${logNote(R.writeFailureLogs)}- After the three-node hot-key load, all three nodes read the same content ${R.hotAgreeMs === undefined ? '**not within 10 s**' : `${fmt(R.hotAgreeMs)} ms after the load ended`}.

## Push latency — HTTP long poll answered after a publish

${f.rounds} rounds per series, alternated: a long poll (\`POST /nacos/v1/cs/configs/listener\`, \`Long-Pulling-Timeout: 10000\`)
is sent to the listening node with the MD5 of the current content and held for ${f.holdMs} ms, then the content is
published on node A; the time is from the start of the publish to the long poll's answer (so it includes the
publish's own database commit). Rounds whose poll answered before the publish would not be pushes and are not counted
(${R.push.map((p) => p.s.early).reduce((a, b) => a + b, 0)} this run).

| Series | rounds | p50 ms | p95 ms | p99 ms | max ms | min ms | the publish itself, p50 ms | missing |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${R.push.map((p) => pushRow(p.label, p.s)).join('\n')}

The cross-node figure minus the baseline is what the hop costs: node A sends a \`ConfigChanged\` message over the
signed cluster channel at once when it sent none in the last ${CONFIG_SYNC_TIMING.batchMs} ms (later writes within that window are gathered
into one message: \`batchMs\` in src/cluster/sync/config-sync.ts, src/cluster/sync/batcher.ts), and the peer re-reads
the changed key from the database before it answers its long polls. Every node also tails the database's change log
every ${fmt(CONFIG_SYNC_TIMING.tailMs / 1000)} s (the repair path for lost messages).
`
}
