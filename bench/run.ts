// bnacos benchmark: HTTP and gRPC config query against bare baselines, RSS idle and after 10,000 configs, startup time.
// `npm run bench:baseline` (full, ~4 min) or `npm run bench:baseline -- --quick` (~1 min); `--build` rebuilds dist/bnacos first.
// Everything runs on loopback; every server started here is stopped on exit, failure or signal. See bench/README.md.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodePayload, jsonPayload } from '../src/transport/grpc/payload'
import { bound, buildLoad, bun, ensureTools, finish, fmt, freePort, loadText, median, must, pool, quietGate, root, runInfo, start, startBnacos, statusMB, stop, table, tempDir, toMs, toolVersion, verdict, waitListening, waitReady, withCpu, wrk, writeResults, type Load, type Proc } from './lib'

const args = process.argv.slice(2)
const quick = args.includes('--quick')
const P = quick ? { dur: 3, warm: 1, rounds: 1, startups: 3, quietMs: 10_000 } : { dur: 10, warm: 2, rounds: 3, startups: 5, quietMs: 30_000 }
const CONFIGS = 10_000
const DATA_ID = 'bench.query'
const GROUP = 'DEFAULT_GROUP'
const binary = join(root, 'dist', 'bnacos')
const say = (s: string) => console.error(`[bench] ${s}`)
/** About 200 bytes of properties-like content, different for each i. */
const content = (i: number) => `# bench config ${i}\nendpoint=http://svc-${i}.bench.local:8080\ntimeout=3000\nretries=3\n`.padEnd(200, '#')

bound(quick ? 8 : 20, say)
const { row, markdown } = table()

// ---- tools ----
let grpcload = ''
async function tools() {
  await ensureTools(say, { wrk: 'wrk', h2load: 'nghttp2-client' })
  grpcload = await buildLoad('grpcload')
}

// ---- servers ----
async function publish(http: string, dataId: string, text: string) {
  const r = await fetch(`${http}/nacos/v1/cs/configs`, { method: 'POST', body: new URLSearchParams({ dataId, group: GROUP, content: text }), signal: AbortSignal.timeout(10_000) })
  const body = await r.text()
  if (r.status !== 200 || body !== 'true') throw new Error(`publish ${dataId}: ${r.status} ${body}`)
}

// ---- load tools ----
const others = (machine: number, server: number, client: number) => Math.max(0, machine - server - client)

const CONNS = 10
const STREAMS = 5
const queryBody = { headers: {}, module: 'config', dataId: DATA_ID, group: GROUP, tenant: '' }

/** Our Go generator: CONNS connections (with the SDK setup) × STREAMS concurrent ConfigQueryRequests each. */
async function grpcLoad(port: number, pid: number, o: { dur?: number; warm?: number; dump?: string } = {}): Promise<Load & { acked: number }> {
  const [dur, warm] = [o.dur ?? P.dur, o.warm ?? P.warm]
  const cmd = [grpcload, '-addr', `127.0.0.1:${port}`, '-conns', String(CONNS), '-streams', String(STREAMS), '-d', `${dur}s`, '-warmup', `${warm}s`, '-body', JSON.stringify(queryBody), '-pid', String(pid)]
  if (o.dump) cmd.push('-dump', o.dump)
  const [out, cpu] = await withCpu(pid, warm * 1000, () => must(cmd, (dur + warm + 60) * 1000))
  const r = JSON.parse(out.stdout)
  return { rps: r.rps, p50: r.p50_ms, p99: r.p99_ms, errors: r.errors, serverCpu: r.server_cpu_pct, clientCpu: r.cpu_pct, othersCpu: others(cpu.machine, r.server_cpu_pct, r.cpu_pct), acked: r.acked, note: r.first_error }
}

/** h2load with the same concurrency, replaying one framed ConfigQueryRequest (no connection setup, so bare server only). */
async function h2load(port: number, pid: number): Promise<Load> {
  const payload = encodePayload(jsonPayload('ConfigQueryRequest', queryBody, '127.0.0.1'))
  const frame = Buffer.alloc(5 + payload.length)
  frame.writeUInt32BE(payload.length, 1)
  payload.copy(frame, 5)
  const file = join(tempDir('bnacos-bench-h2-'), 'request.bin')
  writeFileSync(file, frame)
  const cmd = ['h2load', `-c${CONNS}`, `-m${STREAMS}`, '-D', String(P.dur), '--warm-up-time', String(P.warm), '-d', file, '-H', 'content-type: application/grpc', '-H', 'te: trailers', `http://127.0.0.1:${port}/Request/request`]
  const [r, cpu] = await withCpu(pid, P.warm * 1000, () => must(cmd, (P.dur + P.warm + 30) * 1000))
  const out = r.stdout
  const req = out.match(/requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/)!
  const t = out.match(/time for request:\s+\S+\s+\S+\s+(\S+)/) // min max mean sd: keep the mean
  const mean = t ? toMs(t[1].replace(/[a-z]+$/, ''), t[1].match(/[a-z]+$/)![0]) : NaN
  const client = (100 * r.cpu) / (P.dur + P.warm)
  return { rps: Number(out.match(/finished in [\d.]+\w+, ([\d.]+) req\/s/)![1]), p50: mean, p99: NaN, errors: Number(req[4]) + Number(req[5]), serverCpu: cpu.server, clientCpu: client, othersCpu: others(cpu.machine, cpu.server, client) }
}

const best = <T extends Load>(xs: T[]) => xs.reduce((a, b) => (b.rps > a.rps ? b : a))
const rounds: string[] = []
let bareRss = ''
let othersMax = 0
const gate = quietGate(P.quietMs, say)
/** Runs a measurement once the machine is quiet (or after waiting P.quietMs for it), noting the CPU of other processes. */
async function quiet<T extends Load>(measure: () => Promise<T>): Promise<T> {
  await gate.wait()
  const l = await measure()
  othersMax = Math.max(othersMax, l.othersCpu)
  return l
}

// ---- phases ----
/** bnacos and the two bare servers run side by side; the four measurements are interleaved P.rounds times and the best
 *  round of each is kept, so that load from other processes on a shared machine hurts every figure alike. */
async function throughput() {
  const bn = await startBnacos([bun, 'src/main.ts'])
  const servers: Proc[] = [bn.p]
  try {
    await publish(bn.http, DATA_ID, content(0))
    const url = `${bn.http}/nacos/v1/cs/configs?dataId=${DATA_ID}&group=${GROUP}`
    const body = await (await fetch(url)).text()
    if (body !== content(0)) throw new Error(`config query answered ${JSON.stringify(body)}`)
    const bodyFile = join(tempDir('bnacos-bench-body-'), 'body.txt')
    writeFileSync(bodyFile, body)
    const respFile = join(tempDir('bnacos-bench-resp-'), 'response.bin')
    const check = await grpcLoad(bn.grpcPort, bn.p.pid, { dur: 1, warm: 0, dump: respFile }) // also a first warm-up
    if (check.errors || check.acked !== CONNS) throw new Error(`gRPC check failed: ${check.acked}/${CONNS} acked, ${check.errors} errors: ${check.note}`)

    const [hp, gp] = [freePort(), freePort()]
    const bareHttp = start([bun, 'bench/bare-http.ts', String(hp), bodyFile])
    const bareGrpc = start([bun, 'bench/bare-grpc.ts', String(gp), respFile])
    servers.push(bareHttp, bareGrpc)
    await waitReady(bareHttp, `http://127.0.0.1:${hp}/`)
    await waitListening(bareGrpc, gp)
    await Bun.sleep(2000)
    bareRss = `bare Bun.serve ${fmt(await statusMB(bareHttp.pid, 'VmRSS'), 1)} MB, bare grpc-js ${fmt(await statusMB(bareGrpc.pid, 'VmRSS'), 1)} MB`
    const bareUrl = `http://127.0.0.1:${hp}/nacos/v1/cs/configs?dataId=${DATA_ID}&group=${GROUP}`
    say(`warming up the HTTP servers (${P.warm}s each)`)
    await wrk(url, bn.p.pid, P.warm)
    await wrk(bareUrl, bareHttp.pid, P.warm)

    const m = { http: [] as Load[], bareHttp: [] as Load[], grpc: [] as (Load & { acked: number })[], bareGrpc: [] as Load[], h2: [] as Load[] }
    for (let r = 1; r <= P.rounds; r++) {
      say(`round ${r}/${P.rounds}: wrk on bnacos and on bare Bun.serve, grpcload on bnacos and on bare grpc-js (${P.dur}s each)`)
      m.http.push(await quiet(() => wrk(url, bn.p.pid, P.dur)))
      m.bareHttp.push(await quiet(() => wrk(bareUrl, bareHttp.pid, P.dur)))
      m.grpc.push(await quiet(() => grpcLoad(bn.grpcPort, bn.p.pid)))
      m.bareGrpc.push(await quiet(() => grpcLoad(gp, bareGrpc.pid)))
      rounds.push(`round ${r}: HTTP bnacos ${fmt(m.http.at(-1)!.rps)}, bare ${fmt(m.bareHttp.at(-1)!.rps)}; gRPC bnacos ${fmt(m.grpc.at(-1)!.rps)}, bare ${fmt(m.bareGrpc.at(-1)!.rps)} req/s`)
    }
    say(`h2load on bare grpc-js (${P.dur}s)`)
    m.h2.push(await quiet(() => h2load(gp, bareGrpc.pid)))

    const [http, bh, grpc, bg, h2] = [best(m.http), best(m.bareHttp), best(m.grpc), best(m.bareGrpc), best(m.h2)]
    const of = P.rounds > 1 ? `, best of ${P.rounds}` : ''
    row(`HTTP config query, bnacos (wrk -t1 -c50 -d${P.dur}s${of})`, loadText(http))
    row('HTTP, bare Bun.serve answering the same body', loadText(bh))
    const hr = http.rps / bh.rps
    const httpErr = m.http.some((x) => x.errors)
    row('HTTP ratio bnacos / bare', fmt(hr, 2), '≥ 0.70', httpErr ? 'ERROR' : verdict(hr >= 0.7))
    const gdesc = `grpcload ${CONNS} conns × ${STREAMS} in flight, ${P.dur}s${of}`
    const grpcErr = m.grpc.find((x) => x.errors || x.acked !== CONNS)
    row(`gRPC ConfigQueryRequest, bnacos (${gdesc})`, loadText(grpc) + (grpcErr ? ` — ${grpcErr.acked}/${CONNS} acked; ${(grpcErr.note ?? '').slice(0, 200)}` : ''))
    row('gRPC, bare grpc-js answering the same Payload', loadText(bg))
    const gr = grpc.rps / bg.rps
    row('gRPC ratio bnacos / bare', fmt(gr, 2), '≥ 0.70', grpcErr ? 'ERROR' : verdict(gr >= 0.7))
    row(`Generator check: h2load on the bare gRPC server (-c${CONNS} -m${STREAMS}, ${P.dur}s)`, `${loadText(h2, 'load tool', 'mean')}; grpcload reached ${fmt((100 * bg.rps) / h2.rps)}% of it`)
  } finally {
    for (const s of servers) await stop(s)
  }
}

async function footprint(label: string, cmd: string[]) {
  say(`RSS: ${label}, idle then ${fmt(CONFIGS)} configs`)
  const bn = await startBnacos(cmd)
  try {
    await Bun.sleep(2000)
    const idle = await statusMB(bn.p.pid, 'VmRSS')
    const t0 = performance.now()
    await pool(CONFIGS, 16, (i) => publish(bn.http, `bench.rss.${i}`, content(i)))
    const rate = CONFIGS / ((performance.now() - t0) / 1000)
    await Bun.sleep(2000)
    const after = await statusMB(bn.p.pid, 'VmRSS')
    const peak = await statusMB(bn.p.pid, 'VmHWM')
    row(`RSS idle after start, ${label}`, `${fmt(idle, 1)} MB (for scale, idle: ${bareRss})`, '< 60 MB', verdict(idle < 60))
    row(`RSS after ${fmt(CONFIGS)} configs of 200 B, ${label}`, `${fmt(after, 1)} MB (peak ${fmt(peak, 1)} MB; published at ${fmt(rate)}/s, 16 in flight)`, '< 100 MB', verdict(after < 100))
  } finally {
    await stop(bn.p)
  }
}

async function startup(label: string, cmd: string[]) {
  say(`startup: ${label} × ${P.startups}`)
  const times: number[] = []
  for (let i = 0; i < P.startups; i++) {
    await gate.wait()
    const bn = await startBnacos(cmd)
    times.push(bn.readyMs)
    await stop(bn.p)
  }
  row(`Startup to ready, ${label} (median of ${P.startups}, fresh data dir)`, `${fmt(median(times))} ms (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))})`)
}

// ---- report ----
const newest = (dir: string): number =>
  Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)))

async function header(binaryNote: string) {
  const info = await runInfo()
  const lines = [
    `# bnacos benchmark — ${info.time} (${quick ? 'quick' : 'full'} run)`,
    '',
    `- Commit: ${info.commit}`,
    `- Machine: ${info.machine}`,
    `- ${info.tools}; ${await toolVersion(['h2load', '--version'])}; grpcload built with ${info.go}`,
    `- ${binaryNote}`,
    `- Each load measurement waited for a quiet machine (${gate.text()}); CPU used by other processes during them: up to ${fmt(othersMax)}% of one core${othersMax > 20 ? ' — **figures are noisy**' : ''}`,
    '- Load tools and servers share the machine, so the ratios are the meaningful figures; see bench/README.md.',
  ]
  return { sha: info.sha, date: info.time.slice(0, 10), text: lines.join('\n') }
}

async function main() {
  await tools()
  const built = existsSync(binary)
  if (!built || args.includes('--build')) {
    say('building dist/bnacos')
    await must([bun, 'scripts/build.ts'], 300_000, { PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` })
  }
  const stale = statSync(binary).mtimeMs < newest(join(root, 'src'))
  const binaryNote = `dist/bnacos built ${statSync(binary).mtime.toISOString().replace(/\.\d+Z$/, 'Z')}${stale ? ' — **older than the newest file under src/** (rebuild with `--build`)' : ''}`

  await throughput()
  await footprint('bun src/main.ts', [bun, 'src/main.ts'])
  await footprint('dist/bnacos', [binary])
  await startup('dist/bnacos', [binary])
  await startup('bun src/main.ts', [bun, 'src/main.ts'])

  const { sha, date, text } = await header(binaryNote)
  const md = `${text}\n\n${markdown()}\n\nLoad rounds (req/s): ${rounds.join('; ')}.\n`
  const name = `${date}-${sha}${quick ? '-quick' : ''}.md`
  writeResults(md, quick ? [name] : [name, 'latest.md'], say)
}

finish(main, 'bench')
