// Runs bnacos as a separate process, the way a user starts it, for tests that kill or restart it.
import { join } from 'node:path'
import { freePort } from './server'

export interface ServerProcess {
  proc: ReturnType<typeof Bun.spawn>
  httpUrl: string
  httpPort: number
  output(): string
}

const root = join(import.meta.dir, '..', '..')

/** Starts `bun src/main.ts` (or `cmd`) with the given env and waits until readiness answers 200. */
export async function spawnServer(env: Record<string, string>, cmd: string[] = [process.execPath, 'src/main.ts']): Promise<ServerProcess> {
  const httpPort = env.BNACOS_HTTP_PORT ? Number(env.BNACOS_HTTP_PORT) : await freePort(1000)
  let out = ''
  const proc = Bun.spawn(cmd, {
    cwd: root,
    env: { ...process.env, BNACOS_HOST: '127.0.0.1', BNACOS_LOG_LEVEL: 'warn', ...env, BNACOS_HTTP_PORT: String(httpPort) },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  for (const s of [proc.stdout, proc.stderr]) {
    ;(async () => {
      for await (const chunk of s as ReadableStream<Uint8Array>) out += new TextDecoder().decode(chunk)
    })()
  }
  const httpUrl = `http://127.0.0.1:${httpPort}`
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}: ${out}`)
    try {
      const r = await fetch(`${httpUrl}/nacos/v1/console/health/readiness`)
      if (r.status === 200) return { proc, httpUrl, httpPort, output: () => out }
    } catch {}
    await Bun.sleep(50)
  }
  proc.kill(9)
  throw new Error(`server not ready within 15 s: ${out}`)
}
