// bnacos naming benchmark (issue 3): 1,000 gRPC subscribers over 100 services, 1,000 publishers registering 10,000
// instances, push latency, HTTP instance-list QPS and RSS with 2,001 connections. `npm run bench:naming` (~1 min) or
// `npm run bench:naming -- --quick` (~30 s). Everything runs on loopback; every process started here is stopped on
// exit, failure or signal, and the whole run has a time bound. See bench/README.md ("Naming benchmark").
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { adopt, bound, buildLoad, bun, ensureTools, finish, fmt, freePort, loadText, quietGate, root, runInfo, start, startBnacos, statusMB, stop, table, tempDir, verdict, waitListening, writeResults, wrk, type Bnacos, type Proc } from './lib'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const P = quick ? { samples: 50, wrkSecs: 3, batch: false, floors: false, quietMs: 10_000 } : { samples: 200, wrkSecs: 10, batch: true, floors: true, quietMs: 30_000 }
const SERVICES = 100
const SUBS = 10 // subscriber connections per service
const PUBS = 1000
const PER = 10 // instances per publisher
const CONNS = SERVICES * SUBS + PUBS + 1 // + the sampler
const GROUP = 'DEFAULT_GROUP'
const PREFIX = 'bench.svc.'
const PUSH_DELAY_MS = 20 // bnacos's default BNACOS_NAMING_PUSH_DELAY_MS, stated in the report
const say = (s: string) => console.error(`[bench:naming] ${s}`)
bound(quick ? 6 : 12, say)
const { row, markdown } = table()
const notes: string[] = []

// ---- tools ----
let namingload = ''
async function tools() {
  await ensureTools(say, { wrk: 'wrk' })
  namingload = await buildLoad('namingload')
}

// ---- servers ----
/** Runs `cmd` with the soft open-file limit raised to the hard one: 2,001 connections need more than the common 1,024
 *  (the Go generator raises its own, as Go does by default). `exec` keeps the pid. */
const fdRaised = (cmd: string[]) => ['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', ...cmd]
let serverFdLimit = ''
const fdLimitOf = async (pid: number) => (await Bun.file(`/proc/${pid}/limits`).text()).match(/^Max open files\s+(\d+|unlimited)/m)?.[1] ?? '?'

/** Starts `bun src/main.ts` (with the memory probe preloaded) on free loopback ports and a fresh data dir. */
async function startNaming(): Promise<Bnacos & { probeFile: string }> {
  const probeFile = join(tempDir('bnacos-bench-probe-'), 'probe.json')
  const bn = await startBnacos(fdRaised([bun, '--preload', './bench/naming-memprobe.ts', 'src/main.ts']), {
    env: { BNACOS_BENCH_MEMPROBE: probeFile },
    stepMs: 10,
    async check(b) {
      serverFdLimit = await fdLimitOf(b.p.pid)
      if (Number(serverFdLimit) < CONNS + 100) throw new Error(`the server may open only ${serverFdLimit} files; ${CONNS} connections need more (raise the hard limit, ulimit -Hn)`)
    },
  })
  return { ...bn, probeFile }
}

/** Asks the preloaded probe for JS heap figures (it runs a full GC first). */
async function probe(bn: { p: Proc; probeFile: string }): Promise<{ afterFullGc: Record<string, number>; heapSizeMB: number; extraMemoryMB: number; objectCount: number; top: [string, number][] } | undefined> {
  process.kill(bn.p.pid, 'SIGUSR2')
  for (let i = 0; i < 50; i++) {
    await Bun.sleep(100)
    if (existsSync(bn.probeFile)) {
      try {
        return JSON.parse(readFileSync(bn.probeFile, 'utf8'))
      } catch {}
    }
  }
  return undefined
}

// ---- the generator ----
/** A JSON line of the generator, read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type J = any
interface Gen {
  /** Waits for the next JSON line whose event is `event` (or a failure line). */
  next(event: string, timeoutMs: number): Promise<J>
  /** Lets the generator close its connections; resolves with its end line. */
  release(timeoutMs?: number): Promise<J>
}

function spawnGen(flags: string[], pid: number): Gen {
  // Its own pipes: the driver reads its JSON lines and releases it through stdin.
  const proc = adopt(Bun.spawn([namingload, ...flags, '-pid', String(pid)], { cwd: root, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe' }))
  let errTail = ''
  ;(async () => {
    for await (const c of proc.stderr) {
      const s = new TextDecoder().decode(c)
      errTail = (errTail + s).slice(-2000)
      process.stderr.write(s)
    }
  })()
  const lines: J[] = []
  ;(async () => {
    let buf = ''
    for await (const c of proc.stdout) {
      buf += new TextDecoder().decode(c)
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) lines.push(JSON.parse(buf.slice(0, i)))
    }
  })()
  const next = async (event: string, timeoutMs: number) => {
    const t0 = performance.now()
    for (;;) {
      const i = lines.findIndex((l) => l.event === event || l.event === 'failed')
      if (i >= 0) {
        const l = lines.splice(i, 1)[0]
        if (l.event === 'failed') throw new Error(`namingload failed: ${JSON.stringify(l)}`)
        return l
      }
      if (proc.exitCode !== null && lines.length === 0) throw new Error(`namingload exited with ${proc.exitCode}: ${errTail}`)
      if (performance.now() - t0 > timeoutMs) throw new Error(`namingload: no "${event}" line within ${timeoutMs} ms: ${errTail}`)
      await Bun.sleep(50)
    }
  }
  return {
    next,
    async release(timeoutMs = 30_000) {
      proc.stdin.write('\n')
      proc.stdin.end()
      const end = await next('end', timeoutMs)
      const t = setTimeout(() => proc.kill(9), 10_000)
      await proc.exited
      clearTimeout(t)
      return end
    },
  }
}

const common = ['-services', String(SERVICES), '-subs', String(SUBS), '-pubs', String(PUBS), '-per', String(PER), '-group', GROUP, '-prefix', PREFIX]

const cpuText = (c: J) => `CPU: server ${fmt(c.server_cpu_pct)}% (its JS thread ${fmt(c.server_main_thread_cpu_pct)}%), generator ${fmt(c.generator_cpu_pct)}%, others ${fmt(c.others_cpu_pct)}%`
const errText = (e: J) => (e?.count ? `**${e.count} errors** (first: ${String(e.first).slice(0, 160)})` : '0 errors')

const gate = quietGate(P.quietMs, say)

// ---- phases ----
/** The main scenario: subscribers, single-instance registrations, push latency, then (all held) RSS and wrk. */
async function mainScenario() {
  const bn = await startNaming()
  try {
    await Bun.sleep(2000)
    const idle = await statusMB(bn.p.pid, 'VmRSS')
    await gate.wait()
    say(`main scenario: ${fmt(CONNS)} connections, ${fmt(PUBS * PER)} instances (InstanceRequest), ${P.samples} push samples`)
    const gen = spawnGen(['-addr', `127.0.0.1:${bn.grpcPort}`, ...common, '-mode', 'single', '-samples', String(P.samples)], bn.p.pid)
    const r = await gen.next('ready', 300_000)
    await Bun.sleep(2000)
    const rss = await statusMB(bn.p.pid, 'VmRSS')
    const hwm = await statusMB(bn.p.pid, 'VmHWM')

    // The instance list of a service with 100 instances (the sampler's instance in it was deregistered).
    const url = `${bn.http}/nacos/v1/ns/instance/list?serviceName=${PREFIX}0&groupName=${GROUP}`
    const body = await (await fetch(url)).text()
    const hosts = JSON.parse(body).hosts?.length ?? -1
    if (hosts !== (PUBS * PER) / SERVICES) throw new Error(`instance list of ${PREFIX}0 has ${hosts} hosts: ${body.slice(0, 300)}`)
    say(`wrk on the instance list (${hosts} hosts, ${fmt(body.length)} B), ${P.wrkSecs}s after a 2 s warm-up`)
    await wrk(url, bn.p.pid, 2)
    await gate.wait()
    const w = await wrk(url, bn.p.pid, P.wrkSecs)
    const rssAfterWrk = await statusMB(bn.p.pid, 'VmRSS')
    const heap = await probe(bn)
    await Bun.sleep(500)
    const rssAfterGc = await statusMB(bn.p.pid, 'VmRSS')
    const end = await gen.release()
    return { r, end, idle, rss, hwm, rssAfterWrk, rssAfterGc, heap, w, body, hosts, url }
  } finally {
    await stop(bn.p)
  }
}

/** The batch variant: the same subscribers, each publisher sends one BatchInstanceRequest of 10; register figures only. */
async function batchScenario() {
  const bn = await startNaming()
  try {
    await Bun.sleep(1000)
    await gate.wait()
    say('batch variant: BatchInstanceRequest of 10 per publisher')
    const gen = spawnGen(['-addr', `127.0.0.1:${bn.grpcPort}`, ...common, '-mode', 'batch', '-samples', '0'], bn.p.pid)
    const r = await gen.next('ready', 300_000)
    await Bun.sleep(2000)
    const rss = await statusMB(bn.p.pid, 'VmRSS')
    const end = await gen.release()
    return { r, end, rss }
  } finally {
    await stop(bn.p)
  }
}

/** RSS with the 2,001 connections only (no subscribe, no registration): bnacos, and a bare grpc-js server. */
async function connectionFloor(kind: 'bnacos' | 'bare') {
  let p: Proc
  let grpcPort: number
  if (kind === 'bnacos') {
    const bn = await startNaming()
    ;[p, grpcPort] = [bn.p, bn.grpcPort]
  } else {
    grpcPort = freePort()
    p = start(fdRaised([bun, 'bench/naming-bare-grpc.ts', String(grpcPort)]))
    await waitListening(p, grpcPort)
  }
  try {
    await Bun.sleep(2000)
    const idle = await statusMB(p.pid, 'VmRSS')
    say(`connection floor: ${fmt(CONNS)} connections only, on ${kind === 'bnacos' ? 'bnacos' : 'bare grpc-js'}`)
    const gen = spawnGen(['-addr', `127.0.0.1:${grpcPort}`, '-connect-only', String(CONNS)], p.pid)
    const r = await gen.next('ready', 120_000)
    await Bun.sleep(2000)
    const rss = await statusMB(p.pid, 'VmRSS')
    const end = await gen.release()
    return { idle, rss, acked: r.connections.setup_acked as number, end }
  } finally {
    await stop(p)
  }
}

// ---- report ----
async function header() {
  const info = await runInfo()
  const lines = [
    `# bnacos naming benchmark — ${info.time} (${quick ? 'quick' : 'full'} run)`,
    '',
    `- Commit: ${info.commit}; server: \`bun src/main.ts\`, default settings (push coalescing window BNACOS_NAMING_PUSH_DELAY_MS = ${PUSH_DELAY_MS} ms)`,
    `- Machine: ${info.machine}; open-file limit of the server ${serverFdLimit} (raised to the hard limit)`,
    `- ${info.tools}; namingload built with ${info.go}, GOMAXPROCS=1`,
    `- Scenario: ${fmt(SERVICES)} services (\`${PREFIX}0…${SERVICES - 1}\`, ${GROUP}, namespace public); ${fmt(SERVICES * SUBS)} subscriber connections (${SUBS} per service, one SubscribeServiceRequest each, every push acked with NotifySubscriberResponse); ${fmt(PUBS)} publisher connections × ${PER} instances = ${fmt(PUBS * PER)} instances (${fmt((PUBS * PER) / SERVICES)} per service); 1 sampler connection; every connection does ServerCheck, bi-stream, ConnectionSetupRequest with abilityTable and waits for SetupAck, and keeps the Java SDK's 5 s HealthCheckRequest keep-alive`,
    `- Each phase waited for a quiet machine (${gate.text()}). The generator and the server share 2 cores; CPU is in % of one core (the server can exceed 100%: Bun's GC and HTTP/2 threads).`,
  ]
  return { sha: info.sha, date: info.time.slice(0, 10), text: lines.join('\n') }
}

async function main() {
  await tools()
  const m = await mainScenario()
  const b = P.batch ? await batchScenario() : undefined
  const fb = P.floors ? await connectionFloor('bnacos') : undefined
  const fg = P.floors ? await connectionFloor('bare') : undefined

  const r = m.r
  const c = r.connections
  const errorsAll = [c.setup_errors, c.subscribe_errors, r.register.errors, r.samples.errors, m.end.health_errors].reduce((a: number, e: J) => a + (e?.count ?? 0), 0) + m.end.ack_errors
  const connOk = c.connected === CONNS && c.setup_acked === CONNS && errorsAll === 0 && m.end.dead_connections === 0
  row(
    'Connections (main scenario)',
    `${fmt(c.connected)} / ${fmt(CONNS)} set up, **${fmt(c.setup_acked)} got SetupAck**; ${fmt(r.subscribers.connected)} subscribed (${errText(c.subscribe_errors)}); set-up rate ${fmt(r.subscribers.wanted / r.subscribers.cpu.secs)} subscriber conns/s incl. subscribe, ${fmt(r.publishers.wanted / r.publishers.cpu.secs)} publisher conns/s (64 set-ups in flight)`,
    `all ${fmt(CONNS)} acked`,
    verdict(c.setup_acked === CONNS),
  )
  const reg = r.register
  row(
    `Register, InstanceRequest (${fmt(PUBS)} conns × ${PER} requests one after the other, each into another service; all conns at once)`,
    `**${fmt(reg.instances_per_s)} instances/s = ${fmt(reg.requests_per_s)} requests/s** (${fmt(reg.instances)} in ${fmt(reg.secs, 2)} s; request latency p50 ${fmt(reg.latency.p50_ms)} ms, p99 ${fmt(reg.latency.p99_ms)} ms with ${fmt(PUBS)} in flight; ${cpuText(reg.cpu)}; ${errText(reg.errors)})`,
  )
  row(
    'Subscribers converged (every subscriber\'s latest push lists all instances of its service)',
    `${reg.converged ? '' : '**not converged** — '}${fmt(reg.converge_secs, 2)} s after the first register (${reg.subscribers_not_converged} subscribers behind); ${fmt(reg.pushes)} pushes received during it; ${cpuText(reg.converge_cpu)}`,
    'all converge',
    verdict(reg.converged),
  )
  if (b) {
    const br = b.r.register
    row(
      `Register, BatchInstanceRequest (${fmt(PUBS)} conns × 1 batch of ${PER} into one service; fresh server, same subscribers)`,
      `**${fmt(br.instances_per_s)} instances/s = ${fmt(br.requests_per_s)} requests/s** (${fmt(br.instances)} in ${fmt(br.secs, 2)} s; request p50 ${fmt(br.latency.p50_ms)} ms, p99 ${fmt(br.latency.p99_ms)} ms; converged ${br.converged ? `after ${fmt(br.converge_secs, 2)} s` : '**no**'}; ${fmt(br.pushes)} pushes; ${cpuText(br.cpu)}; ${errText(br.errors)}; ${fmt(b.r.connections.setup_acked)}/${fmt(CONNS)} acked; RSS then ${fmt(b.rss, 1)} MB)`,
    )
  }
  const s = r.samples
  const pairs = P.samples * SUBS
  const missing = s.missing_register + s.missing_deregister
  row(
    `Push latency, register → NotifySubscriberRequest listing it (${P.samples} fresh instances one at a time, each into a subscribed service, × ${SUBS} subscribers = ${fmt(pairs)} pairs)`,
    `**p50 ${fmt(s.register.p50_ms, 1)} ms, p99 ${fmt(s.register.p99_ms, 1)} ms** (p90 ${fmt(s.register.p90_ms, 1)}, min ${fmt(s.register.min_ms, 1)}, max ${fmt(s.register.max_ms, 1)}; ${fmt(s.register.n)} pairs timed, ${s.missing_register} missing after 3 s; includes the ${PUSH_DELAY_MS} ms coalescing window; ${cpuText(s.cpu)})`,
    'p99 < 50 ms',
    verdict(s.register.p99_ms < 50 && s.missing_register === 0),
  )
  row(
    'Push latency, deregister → push no longer listing it (same samples)',
    `p50 ${fmt(s.deregister.p50_ms, 1)} ms, p99 ${fmt(s.deregister.p99_ms, 1)} ms (max ${fmt(s.deregister.max_ms, 1)}; ${s.missing_deregister} missing)`,
    'p99 < 50 ms',
    verdict(s.deregister.p99_ms < 50 && s.missing_deregister === 0),
  )
  row(
    `HTTP instance list, \`GET /nacos/v1/ns/instance/list?serviceName=${PREFIX}0&groupName=${GROUP}\` (${m.hosts} hosts, ${fmt(m.body.length)} B; wrk -t1 -c50 -d${P.wrkSecs}s, all ${fmt(CONNS)} connections held)`,
    loadText(m.w, 'wrk'),
  )
  const heap = m.heap
  row(
    `RSS with all ${fmt(CONNS)} connections, ${fmt(PUBS * PER)} instances, ${fmt(SERVICES * SUBS)} subscriptions (VmRSS, 2 s after the push samples)`,
    `**${fmt(m.rss, 1)} MB** (idle before: ${fmt(m.idle, 1)} MB; peak VmHWM ${fmt(m.hwm, 1)} MB; after wrk ${fmt(m.rssAfterWrk, 1)} MB; after a forced full GC ${fmt(m.rssAfterGc, 1)} MB${heap ? `, of which JS heap ${fmt(heap.heapSizeMB, 1)} MB + extra (strings, buffers) ${fmt(heap.extraMemoryMB, 1)} MB` : ''})`,
    '< 150 MB',
    verdict(m.rss < 150),
  )
  if (fb && fg) {
    row(
      `RSS with the ${fmt(CONNS)} connections only (set up and held, no subscribe, no instance)`,
      `bnacos ${fmt(fb.rss, 1)} MB (idle ${fmt(fb.idle, 1)} MB, so ${fmt(((fb.rss - fb.idle) * 1024) / CONNS, 1)} KB per connection); bare grpc-js on Bun with the same connections and bi-streams (\`bench/naming-bare-grpc.ts\`) ${fmt(fg.rss, 1)} MB (idle ${fmt(fg.idle, 1)} MB, ${fmt(((fg.rss - fg.idle) * 1024) / CONNS, 1)} KB per connection); acked ${fb.acked} / ${fg.acked}`,
    )
  }
  row(
    'Errors, acks, keep-alive (main scenario, whole run)',
    `${fmt(errorsAll)} errors in all (setup, subscribe, register, samples, health checks, acks); ${fmt(m.end.pushes)} pushes received (${fmt(r.push_mb)} MB until the samples ended) and ${fmt(m.end.acks)} acked; ${fmt(m.end.health_checks)} HealthCheckRequests answered; ${fmt(m.end.other_server_requests)} other server requests; ${m.end.dead_connections} connections dead at the end`,
    'no errors',
    verdict(connOk),
  )
  if (heap) notes.push(`JS heap after a forced full GC (main scenario, all held): ${heap.objectCount.toLocaleString('en-US')} objects; most numerous: ${heap.top.slice(0, 12).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}.`)

  const { sha, date, text } = await header()
  const md = `${text}\n\n${markdown()}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`
  writeResults(md, [`${date}-${sha}-naming${quick ? '-quick' : ''}.md`], say)
}

finish(main, 'bench:naming')
