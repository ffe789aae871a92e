// CPU profiles of bnacos under the side-by-side scenarios (issue 7): `bun src/main.ts` with Bun's --cpu-prof, one
// fresh server per scenario, the same load as bench/compare.ts, and a summary of the samples taken while the load ran
// (hot functions by self time, and time by owner: the first src/ or node_modules/ frame above each sample).
// `npm run bench:profile [-- scenario…]`; scenarios: http-query http-publish grpc-query config-push http-register
// http-list grpc-register (default: all). Writes bench/results/<date>-<commit>-profile.md; the raw .cpuprofile files
// (Chrome DevTools format) stay in a temp dir named in the report.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bound, bun, finish, fmt, goBin, must, root, runInfo, start, stop, tempDir, waitReady, type Proc } from './lib'

const say = (s: string) => console.error(`[bench:profile] ${s}`)
const ALL = ['http-query', 'http-publish', 'grpc-query', 'config-push', 'http-register', 'http-list', 'grpc-register']
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const list = wanted.length ? wanted : ALL
for (const s of list) if (!ALL.includes(s)) throw new Error(`unknown scenario ${s}; one of ${ALL.join(' ')}`)
const DUR = 5
bound(2 + list.length * 1.5, say)
const profDir = mkdtempSync(join(tmpdir(), 'bnacos-profiles-')) // kept: the raw profiles are for DevTools

// ---- the profile ----
interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: Node[]
  startTime: number
  samples: number[]
  timeDeltas: number[]
}

const short = (url: string) => url.replace(/^file:\/\//, '').replace(`${root}/`, '').replace(/^.*node_modules\//, 'node_modules/')
/** The owner of a frame: a src/ file, a node_modules package, or undefined for native and Bun internals. */
function owner(url: string): string | undefined {
  const s = short(url)
  if (s.startsWith('src/')) return s
  const m = s.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/)
  return m ? m[1] : undefined
}

/** Hot functions by self time and time by owner, over the samples taken between `from` and `to` (ms since epoch). */
function summarize(p: Profile, from: number, to: number) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>()
  const owners = new Map<string, number>()
  let t = p.startTime
  let total = 0
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i]
    if (t / 1000 < from || t / 1000 > to) return
    const n = byId.get(id)!
    const name = n.callFrame.functionName || '(anonymous)'
    if (name === '(idle)' || name === '(program)') return
    total++
    const key = `\`${name}\` ${n.callFrame.url ? `${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}` : '[native]'}`
    self.set(key, (self.get(key) ?? 0) + 1)
    let o: string | undefined
    for (let cur: number | undefined = id; cur !== undefined && !o; cur = parent.get(cur)) o = owner(byId.get(cur)!.callFrame.url)
    owners.set(o ?? '(native/Bun, no JS caller)', (owners.get(o ?? '(native/Bun, no JS caller)') ?? 0) + 1)
  })
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${fmt((100 * v) / Math.max(1, total), 1)}% ${k}`)
  return { total, hot: top(self, 15), owners: top(owners, 12) }
}

// ---- servers and loads ----
const gen: Record<string, string> = {}
async function build(name: string) {
  gen[name] ??= join(tempDir('bnacos-prof-gen-'), name)
  await must([goBin, '-C', join(root, 'bench', 'load'), 'build', '-o', gen[name], `./cmd/${name}`], 300_000)
}

async function post(url: string, body: Record<string, string>) {
  const r = await fetch(url, { method: 'POST', body: new URLSearchParams(body) })
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`)
}

const wrk = (http: string, path: string, script?: string) =>
  must(['wrk', '-t1', '-c120', `-d${DUR}s`, '--latency', ...(script ? ['-s', join(root, 'bench', 'lua', script)] : []), `${http}${path}`], (DUR + 20) * 1000)

/** Runs one scenario on a fresh profiled server; returns what the load reported and the profile window. */
async function scenario(name: string, http: string, grpc: number, pid: number): Promise<string> {
  const content = 'x'.repeat(200)
  switch (name) {
    case 'http-query':
      await post(`${http}/nacos/v1/cs/configs`, { dataId: '001', group: 'foo', tenant: 'public', content })
      return (await wrk(http, '/nacos/v1/cs/configs?dataId=001&group=foo&tenant=public')).stdout.match(/Requests\/sec:.*/)?.[0] ?? ''
    case 'http-publish':
      return (await wrk(http, '/nacos/v1/cs/configs', 'config-publish.lua')).stdout.match(/Requests\/sec:.*/)?.[0] ?? ''
    case 'http-register':
      return (await wrk(http, '/nacos/v1/ns/instance', 'instance-register.lua')).stdout.match(/Requests\/sec:.*/)?.[0] ?? ''
    case 'http-list':
      return (await wrk(http, '/nacos/v1/ns/instance/list', 'instance-list.lua')).stdout.match(/Requests\/sec:.*/)?.[0] ?? ''
    case 'grpc-query':
      await post(`${http}/nacos/v1/cs/configs`, { dataId: 'grpc.001', group: 'foo', content })
      return (await must([gen.grpcload, '-addr', `127.0.0.1:${grpc}`, '-d', `${DUR}s`, '-warmup', '0s', '-body', JSON.stringify({ headers: {}, module: 'config', dataId: 'grpc.001', group: 'foo', tenant: '' }), '-pid', String(pid)], 60_000)).stdout.trim()
    case 'config-push':
      return (await must([gen.configload, '-addr', `127.0.0.1:${grpc}`, '-listeners', '1000', '-samples', '50', '-pid', String(pid)], 120_000)).stdout.trim().slice(0, 600)
    case 'grpc-register': {
      const out = (await must([gen.namingload, '-addr', `127.0.0.1:${grpc}`, '-samples', '0', '-hold', '1s', '-pid', String(pid)], 180_000)).stdout
      const r = JSON.parse(out.split('\n')[0]).register
      return `${fmt(r.instances_per_s)} instances/s (${r.instances} in ${fmt(r.secs, 2)} s, converged ${r.converged}); the window includes the 2,001 connection set-ups`
    }
  }
  throw new Error(name)
}

async function profileOne(name: string) {
  const port = 20000 + Math.floor(Math.random() * 25000)
  const dir = join(profDir, name)
  mkdirSync(dir)
  const env = { BNACOS_HOST: '127.0.0.1', BNACOS_HTTP_PORT: String(port), BNACOS_DATA_DIR: tempDir('bnacos-prof-data-'), BNACOS_LOG_LEVEL: 'warn', BNACOS_SHUTDOWN_GRACE_MS: '500' }
  const p: Proc = start(['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh', bun, '--cpu-prof', `--cpu-prof-dir=${dir}`, 'src/main.ts'], env)
  const http = `http://127.0.0.1:${port}`
  await waitReady(p, `${http}/nacos/v1/console/health/readiness`, 20_000)
  if (name === 'http-list' || name === 'http-beat') await wrk(http, '/nacos/v1/ns/instance', 'instance-register.lua') // 10,000 instances first
  say(`${name}: load for ~${DUR}s under the profiler`)
  const from = Date.now()
  const load = await scenario(name, http, port + 1000, p.pid)
  const to = Date.now()
  await stop(p, 10_000)
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
  if (!file) throw new Error(`${name}: no profile written (${p.output()})`)
  const s = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')), from, to)
  return [
    `## ${name}`,
    '',
    `Load under the profiler: ${load.replace(/\n/g, ' ')}`,
    '',
    `${s.total} samples of the JS thread during the load. Profile: \`${join(dir, file)}\``,
    '',
    '| Time by owner (first src/ or package frame above the sample) | Hot functions (self time) |',
    '|---|---|',
    ...Array.from({ length: Math.max(s.owners.length, s.hot.length) }, (_, i) => `| ${s.owners[i] ?? ''} | ${s.hot[i] ?? ''} |`),
    '',
  ].join('\n')
}

async function main() {
  for (const g of ['grpcload', 'configload', 'namingload']) await build(g)
  const parts: string[] = []
  for (const name of list) parts.push(await profileOne(name))
  const info = await runInfo()
  const md = [`# bnacos CPU profiles — ${info.time}`, '', `- Commit: ${info.commit}; \`bun --cpu-prof src/main.ts\` (Bun ${Bun.version}), default settings, one fresh server per scenario, load as in bench/compare.ts (${DUR} s)`, `- Machine: ${info.machine}`, '- Native frames (`[native]`: Bun\'s HTTP/2, sockets, JSON) are charged to the nearest src/ or package frame above them in "time by owner".', '', ...parts].join('\n')
  const out = join(root, 'bench', 'results', `${info.time.slice(0, 10)}-${info.sha}-profile.md`)
  writeFileSync(out, md)
  console.log(md)
  say(`written ${out.replace(`${root}/`, '')}; raw profiles in ${profDir}`)
}

finish(main, 'bench:profile')
