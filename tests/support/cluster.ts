// Starts bnacos cluster nodes as separate processes on loopback aliases (127.0.0.1/.2/.3), each with its own data
// dir, so tests can kill -9 one and restart it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** One running node. */
export interface NodeProcess {
  ip: string
  httpPort: number
  url: string
  dataDir: string
  proc: ReturnType<typeof Bun.spawn>
  output(): string
}

const root = join(import.meta.dir, '..', '..')

async function canListen(hostname: string, port: number): Promise<boolean> {
  try {
    Bun.listen({ hostname, port, socket: { data() {} } }).stop(true)
    return true
  } catch {
    return false
  }
}

/** An HTTP port on `ip` whose SDK (+1000) and cluster (+1001) ports are free too. */
export async function freeNodePort(ip: string): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 30000)
    if ((await Promise.all([p, p + 1000, p + 1001].map((x) => canListen(ip, x)))).every(Boolean)) return p
  }
  throw new Error('no free port')
}

/** Starts `bun src/main.ts` bound to `ip:httpPort` and waits for readiness (or the process to exit). */
export async function startNode(ip: string, httpPort: number, env: Record<string, string>, dataDir = mkdtempSync(join(tmpdir(), 'bnacos-node-'))): Promise<NodeProcess> {
  let out = ''
  const proc = Bun.spawn([process.execPath, 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, BNACOS_LOG_LEVEL: 'info', BNACOS_HOST: ip, BNACOS_HTTP_PORT: String(httpPort), BNACOS_DATA_DIR: dataDir, BNACOS_AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  for (const s of [proc.stdout, proc.stderr]) {
    ;(async () => {
      for await (const chunk of s as ReadableStream<Uint8Array>) out += new TextDecoder().decode(chunk)
    })()
  }
  const url = `http://${ip}:${httpPort}`
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`node ${ip}:${httpPort} exited with ${proc.exitCode}: ${out}`)
    try {
      if ((await fetch(`${url}/nacos/v1/console/health/readiness`)).status === 200) return { ip, httpPort, url, dataDir, proc, output: () => out }
    } catch {}
    await Bun.sleep(50)
  }
  proc.kill(9)
  throw new Error(`node ${ip}:${httpPort} not ready within 20 s: ${out}`)
}

/** The token key every test node shares (cluster mode requires one key on all nodes). */
export const TEST_TOKEN_SECRET = Buffer.from('bnacos-cluster-test-token-key-0123456789').toString('base64')

/** Runs `bun src/main.ts` with `env` expecting it to refuse to start; returns its exit code and output. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bnacos-node-'))
  const proc = Bun.spawn([process.execPath, 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, BNACOS_HOST: '127.0.0.1', BNACOS_DATA_DIR: dataDir, BNACOS_AUTH_TOKEN_SECRET: TEST_TOKEN_SECRET, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const timer = setTimeout(() => proc.kill(9), 15_000)
  const [o, e] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()])
  clearTimeout(timer)
  const code = await proc.exited
  rmSync(dataDir, { recursive: true, force: true })
  return { code, output: o + e }
}

/** Polls `check` until it returns true or `ms` pass; returns the elapsed time, throws on timeout. */
export async function within(ms: number, check: () => Promise<boolean>, what: string): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < ms) {
    if (await check().catch(() => false)) return Date.now() - start
    await Bun.sleep(100)
  }
  throw new Error(`not within ${ms} ms: ${what}`)
}

/** Kills nodes (SIGKILL) and deletes their data dirs. */
export function removeNodes(...nodes: (NodeProcess | undefined)[]) {
  for (const n of nodes) {
    if (!n) continue
    n.proc.kill(9)
    rmSync(n.dataDir, { recursive: true, force: true })
  }
}
