// Runs `bnacos <command>` (bun src/main.ts) as a separate process, the way an operator does.
import { join } from 'node:path'

const root = join(import.meta.dir, '..', '..')

/** The exit code and output of one command. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `bun src/main.ts …args` (or `cmd`) to completion. */
export async function runCli(args: string[], env: Record<string, string> = {}, cmd: string[] = [process.execPath, 'src/main.ts']): Promise<CliResult> {
  const proc = Bun.spawn([...cmd, ...args], { cwd: root, env: { ...process.env, BNACOS_LOG_LEVEL: 'warn', ...env }, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { code, stdout, stderr }
}
