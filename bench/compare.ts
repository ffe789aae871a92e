// Side-by-side benchmark (issue 7): bnacos (dist/bnacos) against r-nacos (pinned, installed outside the repository)
// and Java Nacos where a registry has it, each started in turn on the same loopback ports with a fresh data dir and
// driven by the same tools (wrk with Lua scripts, the Go generators of bench/load). `npm run bench` (full, ~14 min) or
// `npm run bench -- --quick` (~3 min); `--build` rebuilds dist/bnacos first. Writes bench/results/. See bench/README.md.
import { appendFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { chartSvg, detailTable, mainTable, ratioOf, scenarios, targetSummary, type Cell, type Results } from './compare-report'
import { JAVA_NACOS_NOTE, peers, type Peer } from './compare-peers'
import { bound, bun, ensureTools, finish, fmt, goBin, median, must, root, runInfo, start, statusMB, stop, tempDir, parseWrk, toolVersion, waitListening, waitQuiet, waitReady, withCpu, type Proc } from './lib'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const P = quick
  ? { dur: 3, warm: 1, startups: 3, configSamples: 20, namingSamples: 20, quietMs: 3_000, rounds: 1 }
  : { dur: 10, warm: 2, startups: 5, configSamples: 100, namingSamples: 50, quietMs: 10_000, rounds: 2 } // r-nacos: ~2 s a naming sample
const WRK_CONNS = 120 // r-nacos's load tests run 120 goose users
const say = (s: string) => console.error(`[bench:compare] ${s}`)
bound(quick ? 8 : 20, say)
const results: Results = {}
const notes: string[] = []
const better = new Map(scenarios.map((s) => [s.id, s.higherBetter]))
/** Records a figure; over several rounds the better one is kept (one without errors before one with). */
function put(id: string, peer: string, c: Cell) {
  const row = (results[id] ??= {})
  const old = row[peer]
  const wins = !old || (!!old.errors && !c.errors) || (!old.errors === !c.errors && (better.get(id) ? c.value > old.value : c.value < old.value))
  if (wins) row[peer] = c
}

// ---- tools ----
const gen: Record<string, string> = {}
async function tools() {
  await ensureTools(say, { wrk: 'wrk', h2load: 'nghttp2-client' })
  for (const name of ['grpcload', 'namingload', 'configload']) {
    gen[name] = join(tempDir('bnacos-bench-gen-'), name)
    await must([goBin, '-C', join(root, 'bench', 'load'), 'build', '-o', gen[name], `./cmd/${name}`], 300_000)
  }
}

// ---- load runs ----
/** The most CPU other processes used during any server measurement (% of one core): how noisy the run was. */
let othersMax = 0
const cpuText = (server: number, tool: number, others: number, name = 'load tool') => ((othersMax = Math.max(othersMax, others)), `CPU: server ${fmt(server)}%, ${name} ${fmt(tool)}%, others ${fmt(others)}%`)

/** wrk -t1 -c120 (optionally with a Lua script from bench/lua) on `path`; req/s with latency and CPU. */
async function wrk(http: string, path: string, pid: number, dur: number, script?: string): Promise<Cell> {
  const cmd = ['wrk', '-t1', `-c${WRK_CONNS}`, `-d${dur}s`, '--timeout', '5s', '--latency', ...(script ? ['-s', join(root, 'bench', 'lua', script)] : []), `${http}${path}`]
  const [r, cpu] = await withCpu(pid, 0, () => must(cmd, (dur + 20) * 1000))
  const { rps, p50, p99, errors } = parseWrk(r.stdout)
  const tool = (100 * r.cpu) / dur
  return { value: rps, errors, detail: `p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms; ${cpuText(cpu.server, tool, Math.max(0, cpu.machine - cpu.server - tool), 'wrk')}${errors ? `; ${errors} errors` : ''}` }
}

/** A Go generator that prints JSON lines; returns the last one (throws on a failed line). */
async function goGen(name: string, flags: string[], timeoutMs: number) {
  const r = await must([gen[name], ...flags], timeoutMs)
  const lines = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
  const last = lines.at(-1)
  if (!last || last.event === 'failed') throw new Error(`${name} failed: ${r.stdout}\n${r.stderr.slice(-2000)}`)
  return last
}

const GRPC_QUERY = { headers: {}, module: 'config', dataId: 'grpc.001', group: 'foo', tenant: '' }

async function grpcQuery(port: number, pid: number, ackWait: string, dump?: string): Promise<Cell & { raw: Record<string, number> }> {
  const flags = ['-addr', `127.0.0.1:${port}`, '-conns', '10', '-streams', '5', '-d', `${P.dur}s`, '-warmup', `${P.warm}s`, '-body', JSON.stringify(GRPC_QUERY), '-pid', String(pid), '-ack-wait', ackWait]
  if (dump) flags.push('-dump', dump)
  const [r, cpu] = await withCpu(pid, P.warm * 1000, () => goGen('grpcload', flags, (P.dur + P.warm + 60) * 1000))
  return { value: r.rps, errors: r.errors, raw: r, detail: `10 conns × 5 in flight; p50 ${fmt(r.p50_ms, 2)} ms, p99 ${fmt(r.p99_ms, 2)} ms; ${cpuText(r.server_cpu_pct, r.cpu_pct, Math.max(0, cpu.machine - r.server_cpu_pct - r.cpu_pct), 'grpcload')}${r.errors ? `; first error ${String(r.first_error).slice(0, 120)}` : ''}` }
}

// ---- servers ----
let httpPort = 0
/** A loopback port p with p + 1000 (gRPC) and p + 2000 (r-nacos's console) free too; the same for every server. */
function pickPorts() {
  for (let i = 0; i < 200; i++) {
    const p = 20000 + Math.floor(Math.random() * 25000)
    const free = [p, p + 1000, p + 2000].every((q) => {
      try {
        Bun.listen({ hostname: '127.0.0.1', port: q, socket: { data() {} } }).stop(true)
        return true
      } catch {
        return false
      }
    })
    if (free) return p
  }
  throw new Error('no free ports')
}

/** Starts a peer on the shared ports with a fresh data dir (from a fresh temp dir) and waits for its readiness. */
async function launch(peer: Peer): Promise<{ p: Proc; http: string; grpcPort: number; readyMs: number }> {
  const dir = tempDir(`bnacos-bench-${peer.name}-`)
  const { cmd, env } = peer.command(httpPort, dir)
  // The soft open-file limit raised to the hard one (2,001 connections need more than 1,024); `exec` keeps the pid.
  const p = start(['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; cd "$0" && exec "$@"', dir, ...cmd], env)
  const http = `http://127.0.0.1:${httpPort}`
  const readyMs = await waitReady(p, `${http}/nacos/v1/console/health/readiness`, 30_000, 5)
  return { p, http, grpcPort: httpPort + 1000, readyMs }
}

/** Launches a peer, reads its idle RSS 2 s after readiness, then publishes the config of the HTTP query scenario and
 *  reads it back. r-nacos 0.8.8 on a fresh data dir sometimes panics in its raft apply actor on the first write
 *  (raftapply.rs "called `Option::unwrap()` on a `None` value", as in nacos-group/r-nacos issues #308, #319) and then
 *  loses every write while answering reads: such a start is stopped and retried (5 starts at most), and counted. */
async function launchWritable(peer: Peer) {
  for (let attempt = 1; ; attempt++) {
    const s = await launch(peer)
    await Bun.sleep(2000)
    const idleRss = await statusMB(s.p.pid, 'VmRSS')
    await form(`${s.http}/nacos/v1/cs/configs`, 'POST', { dataId: '001', group: 'foo', tenant: 'public', content: CONTENT })
    // A write is applied through r-nacos's raft log: a read right after the acknowledgement may not see it yet.
    let got = ''
    for (let i = 0; i < 50 && got !== CONTENT; i++) {
      got = await (await fetch(`${s.http}/nacos/v1/cs/configs?dataId=001&group=foo&tenant=public`)).text()
      if (got !== CONTENT) await Bun.sleep(20)
    }
    if (got === CONTENT) return { ...s, idleRss }
    const panicked = /panicked at/.test(s.p.output())
    await stop(s.p)
    const what = `${peer.name}: the config written after start reads back as ${JSON.stringify(got.slice(0, 80))}${panicked ? ' (the server panicked: ' + (s.p.output().match(/panicked at [^\n]*\n[^\n]*/)?.[0] ?? '') + ')' : ''}`
    if (attempt === 5) throw new Error(what)
    restarts.push(what)
    say(`${what}; starting it again`)
  }
}
const restarts: string[] = []

async function form(url: string, method: string, body: Record<string, string>) {
  const r = await fetch(url, { method, body: new URLSearchParams(body), signal: AbortSignal.timeout(10_000) })
  const text = await r.text()
  if (r.status !== 200) throw new Error(`${method} ${url}: ${r.status} ${text.slice(0, 300)}`)
  return text
}

const CONTENT = '# bench config 001\nendpoint=http://svc-001.bench.local:8080\ntimeout=3000\nretries=3\n'.padEnd(200, '#')

async function quiet() {
  const busy = await waitQuiet(P.quietMs)
  if (busy >= 15) say(`machine still busy (${fmt(busy)}% of a core); measuring anyway`)
  return busy
}

// ---- the scenarios of one server ----
async function runPeer(peer: Peer) {
  const n = peer.name
  put('binarySize', n, { value: statSync(peer.binary).size / 2 ** 20, detail: peer.binary.replace(homedir(), '~') })

  say(`${n}: startup × ${P.startups}`)
  const times: number[] = []
  for (let i = 0; i < P.startups; i++) {
    const s = await launch(peer)
    times.push(s.readyMs)
    await stop(s.p)
  }
  put('startup', n, { value: median(times), detail: `min ${fmt(Math.min(...times))} ms, max ${fmt(Math.max(...times))} ms over ${P.startups}; readiness polled every 5 ms` })

  const s = await launchWritable(peer)
  try {
    put('idleRss', n, { value: s.idleRss, detail: 'VmRSS 2 s after readiness' })
    // HTTP config query (r-nacos's http_config_query: dataId=001, group=foo, tenant=public), published by launchWritable.
    const q = '/nacos/v1/cs/configs?dataId=001&group=foo&tenant=public'
    say(`${n}: HTTP config query, publish (wrk -c${WRK_CONNS}, ${P.dur}s each)`)
    await wrk(s.http, q, s.p.pid, P.warm)
    await quiet()
    put('httpQuery', n, await wrk(s.http, q, s.p.pid, P.dur))
    await quiet()
    put('httpPublish', n, await wrk(s.http, '/nacos/v1/cs/configs', s.p.pid, P.dur, 'config-publish.lua'))

    // gRPC ConfigQueryRequest.
    await form(`${s.http}/nacos/v1/cs/configs`, 'POST', { dataId: GRPC_QUERY.dataId, group: GRPC_QUERY.group, content: CONTENT })
    say(`${n}: gRPC ConfigQueryRequest`)
    await quiet()
    const dump = n === 'bnacos' ? (grpcResponse = join(tempDir('bnacos-bench-resp-'), 'response.bin')) : undefined
    const gq = await grpcQuery(s.grpcPort, s.p.pid, peer.ackWait, dump)
    put('grpcQuery', n, gq)

    // Config change pushed to 1,000 listeners.
    say(`${n}: config change → 1,000 listeners, ${P.configSamples} publishes`)
    await quiet()
    const c = await goGen('configload', ['-addr', `127.0.0.1:${s.grpcPort}`, '-listeners', '1000', '-samples', String(P.configSamples), '-pid', String(s.p.pid), '-ack-wait', peer.ackWait], 180_000)
    const cerr = c.missing + c.setup_errors.count + c.listen_errors.count + c.publish_errors.count
    const cdetail = `${c.connected}/1,000 listening (${c.acked} got SetupAck); ${P.configSamples} publishes, ${fmt(c.from_send.n)} pushes timed, ${c.missing} missing; from ack p50 ${fmt(c.from_ack.p50_ms, 1)} / p99 ${fmt(c.from_ack.p99_ms, 1)} ms; from send p50 ${fmt(c.from_send.p50_ms, 1)} / p99 ${fmt(c.from_send.p99_ms, 1)} / max ${fmt(c.from_send.max_ms, 1)} ms; publish ack after p50 ${fmt(c.publish_latency.p50_ms, 1)} ms; ${cpuText(c.cpu.server_cpu_pct, c.cpu.generator_cpu_pct, c.cpu.others_cpu_pct, 'configload')}`
    put('configPushAck', n, { value: c.from_ack.p99_ms, errors: cerr, detail: cdetail })
    put('configPushSend', n, { value: c.from_send.p99_ms, errors: cerr, detail: cdetail })
    put('configPushP50', n, { value: c.from_send.p50_ms, errors: cerr })

    // HTTP naming: register 10,000 instances over 1,000 services, beat them, list them.
    say(`${n}: HTTP instance register, beat, list`)
    await quiet()
    put('httpRegister', n, await wrk(s.http, '/nacos/v1/ns/instance', s.p.pid, P.dur, 'instance-register.lua'))
    await quiet()
    put('httpBeat', n, await wrk(s.http, '/nacos/v1/ns/instance/beat', s.p.pid, P.dur, 'instance-beat.lua'))
    const listPath = '/nacos/v1/ns/instance/list?serviceName=DEFAULT_GROUP%40%40foo_0007&namespaceId=public&clusters=DEFAULT'
    const hosts = async () => JSON.parse(await (await fetch(`${s.http}${listPath}`)).text()).hosts?.length ?? -1
    const before = await hosts()
    if (before < 1) throw new Error(`${n}: instance list of foo_0007 has no hosts`)
    await quiet()
    const l = await wrk(s.http, '/nacos/v1/ns/instance/list', s.p.pid, P.dur, 'instance-list.lua')
    l.detail = `${before} hosts per service before, ${await hosts()} after; ${l.detail}`
    put('httpList', n, l)
  } finally {
    await stop(s.p)
  }

  // gRPC naming on a fresh server: 1,000 subscribers, 1,000 publishers × 10 instances, push samples, capacity.
  const g = await launchWritable(peer)
  try {
    await Bun.sleep(1000)
    await quiet()
    say(`${n}: gRPC naming — 2,001 connections, 10,000 instances, ${P.namingSamples} push samples`)
    const proc = Bun.spawn([gen.namingload, '-addr', `127.0.0.1:${g.grpcPort}`, '-services', '100', '-subs', '10', '-pubs', '1000', '-per', '10', '-samples', String(P.namingSamples), '-pid', String(g.p.pid), '-ack-wait', peer.ackWait, '-hold', '60s', '-max', '5m'], { cwd: root, stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' })
    const reader = proc.stdout.getReader()
    let buf = ''
    const line = async (): Promise<Record<string, any>> => {
      const t0 = performance.now()
      for (;;) {
        const i = buf.indexOf('\n')
        if (i >= 0) {
          const l = JSON.parse(buf.slice(0, i))
          buf = buf.slice(i + 1)
          if (l.event === 'failed') throw new Error(`namingload failed: ${JSON.stringify(l).slice(0, 500)}`)
          return l
        }
        if (performance.now() - t0 > 300_000) throw new Error('namingload: no line within 300 s')
        const { value, done } = await reader.read()
        if (done) throw new Error(`namingload exited (${await proc.exited})`)
        buf += new TextDecoder().decode(value)
      }
    }
    try {
      const r = await line()
      await Bun.sleep(2000)
      const rss = await statusMB(g.p.pid, 'VmRSS')
      const hwm = await statusMB(g.p.pid, 'VmHWM')
      proc.stdin.write('\n')
      proc.stdin.end()
      const end = await line()
      const reg = r.register
      const smp = r.samples
      const conns = r.connections
      const regErr = reg.errors.count + conns.setup_errors.count + conns.subscribe_errors.count + (reg.converged ? 0 : 1)
      put('grpcRegister', n, { value: reg.instances_per_s, errors: regErr, detail: `${fmt(reg.instances)} instances in ${fmt(reg.secs, 2)} s from 1,000 conns at once; request p50 ${fmt(reg.latency.p50_ms)} ms, p99 ${fmt(reg.latency.p99_ms)} ms; converged ${reg.converged ? `after ${fmt(reg.converge_secs, 2)} s` : '**no**'} (${fmt(reg.pushes)} pushes); ${cpuText(reg.cpu.server_cpu_pct, reg.cpu.generator_cpu_pct, reg.cpu.others_cpu_pct, 'namingload')}` })
      const missing = smp.missing_register + smp.missing_deregister
      put('namingPush', n, { value: smp.register.p99_ms, errors: missing + smp.errors.count, detail: `${P.namingSamples} registers × 10 subscribers: p50 ${fmt(smp.register.p50_ms, 1)}, p99 ${fmt(smp.register.p99_ms, 1)}, max ${fmt(smp.register.max_ms, 1)} ms (${missing} missing); deregister p50 ${fmt(smp.deregister.p50_ms, 1)}, p99 ${fmt(smp.deregister.p99_ms, 1)} ms` })
      put('namingPushP50', n, { value: smp.register.p50_ms, errors: missing })
      put('capacityRss', n, { value: rss, errors: conns.connected === 2001 ? 0 : 2001 - conns.connected, detail: `${conns.connected}/2,001 connections (${conns.setup_acked} got SetupAck), 10,000 instances, 1,000 subscriptions; peak VmHWM ${fmt(hwm, 1)} MB; ${end.health_checks} health checks, ${end.health_errors.count} errors, ${end.dead_connections} dead at the end` })
    } finally {
      proc.kill(9)
      await proc.exited
    }
  } finally {
    await stop(g.p)
  }
}

// ---- generator ceilings ----
let grpcResponse = ''
/** The load tools' own ceilings against trivial servers: wrk on a bare Bun.serve; grpcload against h2load on a bare
 *  grpc-js server answering bnacos's ConfigQueryResponse bytes (h2load cannot do the Nacos connection setup). */
async function ceilings() {
  const bodyFile = join(tempDir('bnacos-bench-body-'), 'body.txt')
  writeFileSync(bodyFile, CONTENT)
  const [hp, gp] = [pickPorts(), pickPorts()]
  const bareHttp = start([bun, 'bench/bare-http.ts', String(hp), bodyFile])
  const bareGrpc = start([bun, 'bench/bare-grpc.ts', String(gp), grpcResponse])
  try {
    await waitReady(bareHttp, `http://127.0.0.1:${hp}/`)
    await waitListening(bareGrpc, gp)
    say('generator ceilings: wrk on bare Bun.serve, grpcload and h2load on bare grpc-js')
    await wrk(`http://127.0.0.1:${hp}`, '/', bareHttp.pid, P.warm)
    // As many rounds as the servers got, the best kept: a ceiling measured while other work ran would be too low.
    const bestOf = async <T extends Cell>(f: () => Promise<T>) => {
      let b: T | undefined
      for (let r = 0; r < P.rounds; r++) {
        await quiet()
        const c = await f()
        if (!b || c.value > b.value) b = c
      }
      return b!
    }
    const w = await bestOf(() => wrk(`http://127.0.0.1:${hp}`, '/nacos/v1/cs/configs?dataId=001&group=foo&tenant=public', bareHttp.pid, P.dur))
    const g = await bestOf(() => grpcQuery(gp, bareGrpc.pid, '50ms'))
    await quiet()
    const { encodePayload, jsonPayload } = await import('../src/transport/grpc/payload')
    const payload = encodePayload(jsonPayload('ConfigQueryRequest', GRPC_QUERY, '127.0.0.1'))
    const frame = Buffer.alloc(5 + payload.length)
    frame.writeUInt32BE(payload.length, 1)
    payload.copy(frame, 5)
    const file = join(tempDir('bnacos-bench-h2-'), 'request.bin')
    writeFileSync(file, frame)
    const h = await must(['h2load', '-c10', '-m5', '-D', String(P.dur), '--warm-up-time', String(P.warm), '-d', file, '-H', 'content-type: application/grpc', '-H', 'te: trailers', `http://127.0.0.1:${gp}/Request/request`], (P.dur + P.warm + 30) * 1000)
    const h2rps = Number(h.stdout.match(/finished in [\d.]+\w+, ([\d.]+) req\/s/)?.[1] ?? NaN)
    const best = Math.max(...['httpQuery', 'httpPublish', 'httpRegister', 'httpBeat', 'httpList'].flatMap((id) => Object.values(results[id] ?? {}).map((c) => c.value)))
    notes.push(`**Generator ceilings.** wrk (-t1 -c${WRK_CONNS}) on a bare \`Bun.serve\` answering the 200-byte body: ${fmt(w.value)} req/s (${w.detail}); the best HTTP figure of any server above is ${fmt(best)} req/s${best > 0.8 * w.value ? ' — close to that, so check the wrk CPU of that row' : ''}. Each row shows wrk's own CPU: below ~90% of a core wrk is not the limit.`)
    notes.push(`grpcload (10 conns × 5 in flight, GOMAXPROCS=1) on a bare grpc-js server: ${fmt(g.value)} req/s (${g.detail}); h2load with the same concurrency, replaying one framed ConfigQueryRequest: ${fmt(h2rps)} req/s — grpcload reached ${fmt((100 * g.value) / h2rps)}% of it.`)
    // What the runtime allows at best: a server that does nothing but answer, against r-nacos's figure.
    const rn = (id: string) => results[id]?.['r-nacos']?.value ?? NaN
    notes.push(`**Floors of the stack.** The bare servers above do no work but answer: bare \`Bun.serve\` reached ${fmt(w.value / rn('httpQuery'), 2)}× r-nacos's HTTP config query figure, bare grpc-js on Bun ${fmt(g.value / rn('grpcQuery'), 2)}× its gRPC ConfigQueryRequest figure. Where that is below 1, bnacos cannot reach the target on that transport without replacing it (see limits.md).`)
  } finally {
    await stop(bareHttp)
    await stop(bareGrpc)
  }
}

// ---- report ----
/** The newest profile report in bench/results (by name: they start with the date). */
const newestProfile = () => readdirSync(join(root, 'bench', 'results')).filter((f) => f.endsWith('-profile.md')).sort().at(-1)

async function write(info: Awaited<ReturnType<typeof runInfo>>, versions: string[]) {
  const dir = join(root, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const base = `${info.time.slice(0, 10)}-${info.sha}-compare${quick ? '-quick' : ''}`
  const title = `bnacos vs r-nacos — ${info.time} (${quick ? 'quick' : 'full'} run, ${info.sha})`
  writeFileSync(join(dir, `${base}.svg`), chartSvg(results, title))
  const kernel = (await Bun.file('/proc/sys/kernel/osrelease').text()).trim()
  const t = targetSummary(results)
  const md = [
    `# ${title}`,
    '',
    `- Machine: ${info.machine}; Linux ${kernel}`,
    `- Commit: ${info.commit}`,
    ...versions.map((v) => `- ${v}`),
    `- Tools: ${info.tools}; Go generators (bench/load) built with ${info.go}, GOMAXPROCS=1`,
    `- Each server in turn on the same loopback ports (HTTP ${httpPort}, gRPC ${httpPort + 1000}), fresh data dir each start, identical load; ${quick ? `quick: ${P.dur} s loads, one round` : `${P.dur} s loads after a ${P.warm} s warm-up; ${P.rounds} rounds in alternating order, the better figure of each server kept`}; every measurement waited up to ${P.quietMs / 1000} s for a quiet machine (2 cores, shared). "others" in the details is CPU used by other processes meanwhile: above ~20% that row is noisy.`,
    `- Noise: other processes used up to ${fmt(othersMax)}% of a core during the server measurements${othersMax > 20 ? ' — **some rows are noisy** (see "others" in the details)' : ''}`,
    `- Targets met: **${t.pass} / ${t.total}**${t.missed.length ? ` — missed: ${t.missed.join('; ')}` : ''}`,
    '',
    `![ratios](${base}.svg)`,
    '',
    mainTable(results, 'n/a (see below)'),
    '',
    '## How each figure was obtained',
    '',
    detailTable(results),
    '',
    '## Notes',
    '',
    ...[
      `**What limits bnacos where it misses**: [limits.md](limits.md) (hand-written from the CPU profiles of \`npm run bench:profile\`${newestProfile() ? `; newest: [${newestProfile()}](${newestProfile()})` : ''}).`,
      `**Java Nacos:** ${JAVA_NACOS_NOTE}`,
      '**Push latency.** Config: one writer connection publishes (ConfigPublishRequest) one config that 1,000 listener connections listen to (ConfigBatchListenRequest); "from the ack" is the time from the ConfigPublishResponse to each listener\'s ConfigChangeNotifyRequest (0 when the push came first), "from the send" is from just before the publish was sent. A server that answers the publish only after its fan-out (see "publish ack after" in the details) looks better from the ack than end to end, so both rows have the target. Naming: 100 services × 10 subscriber connections; the sampler registers a fresh instance and each of the service\'s 10 subscribers times the first NotifySubscriberRequest listing it, from the send. Both servers run with their default push coalescing (bnacos BNACOS_NAMING_PUSH_DELAY_MS = 20 ms; r-nacos delays naming notifications by about a second).',
      '**r-nacos 0.8.8 sends no SetupAckRequest**; the generators wait at most 100 ms for it on r-nacos and carry on (its "got SetupAck" count is 0), as the Java SDK does after its own timeout.',
      ...notes,
      ...(restarts.length ? [`**Restarted starts** (a fresh data dir each time; not counted in any figure): ${restarts.join('; ')}.`] : []),
    ].map((x) => `- ${x}`),
    '',
  ].join('\n')
  writeFileSync(join(dir, `${base}.md`), md)
  const names = [`${base}.md`, `${base}.svg`]
  if (!quick) {
    writeFileSync(join(dir, 'latest-compare.md'), md.replace(`](${base}.svg)`, `](latest-compare.svg)`))
    writeFileSync(join(dir, 'latest-compare.svg'), chartSvg(results, title))
    names.push('latest-compare.md', 'latest-compare.svg')
  }
  // One line per run in the history, so that the effect of each change can be read off.
  const hist = join(dir, 'compare-history.md')
  if (!existsSync(hist)) writeFileSync(hist, '# Side-by-side history (bnacos / r-nacos ratios; latency and RSS: lower is better)\n\n| Date | Commit | Run | HTTP query | gRPC query | HTTP list | gRPC register | config push p99 (send) | naming push p99 | capacity RSS | targets | max others CPU |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n')
  const r2 = (id: string) => fmt(ratioOf(results, id), 2)
  appendFileSync(hist, `| ${info.time} | ${info.commit} | ${quick ? 'quick' : 'full'} | ${r2('httpQuery')} | ${r2('grpcQuery')} | ${r2('httpList')} | ${r2('grpcRegister')} | ${r2('configPushSend')} | ${r2('namingPush')} | ${r2('capacityRss')} | ${t.pass}/${t.total} | ${fmt(othersMax)}% |\n`)
  console.log(md)
  say(`written ${names.map((x) => `bench/results/${x}`).join(', ')} and a line in bench/results/compare-history.md`)
}

async function main() {
  const info0 = Date.now()
  await tools()
  const list = await peers(say, args.includes('--build'))
  httpPort = pickPorts()
  // Rounds alternate the order (bnacos, r-nacos, then r-nacos, bnacos) so that noise from other work on a shared
  // machine hits both; the better figure of each server is kept.
  for (let r = 1; r <= P.rounds; r++) for (const peer of r % 2 ? list : [...list].reverse()) (say(`round ${r}/${P.rounds}: ${peer.name}`), await runPeer(peer))
  const serverOthers = othersMax
  await ceilings()
  othersMax = serverOthers // the ceilings' noise is reported with them
  const info = await runInfo()
  const versions = [...list.map((p) => `${p.name}: ${p.version}`), `wrk ${(await toolVersion(['wrk', '-v'])).replace(/ Copyright.*/, '')}; ${await toolVersion(['h2load', '--version'])}`]
  notes.push(`The run took ${fmt((Date.now() - info0) / 1000)} s.`)
  await write(info, versions)
}

finish(main, 'bench:compare')
