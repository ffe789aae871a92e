// Throw-away MariaDB and PostgreSQL servers for tests: the test's own processes, in temp dirs, on free loopback
// ports, with a database and a password user created, stopped and deleted on close. Needs Debian's
// mariadb-server and postgresql packages (see docs/cluster.md); `available()` says whether they are installed.
import { SQL } from 'bun'
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './server'

/** A running database server with one database the test may use. */
export interface DbServer {
  kind: 'mariadb' | 'postgres'
  port: number
  /** Connection URL for the test database (user `bnacos`, password auth over TCP). */
  url: string
  /** Stops the server (it can be started again on the same files and port with `start`). */
  stop(): Promise<void>
  /** Starts it again after `stop` (for database-restart tests). */
  start(): Promise<void>
  /** Stops the server and deletes its files. */
  close(): Promise<void>
  /** The server's own log, for failure messages. */
  log(): string
}

const MARIADBD = '/usr/sbin/mariadbd'
const INSTALL_DB = '/usr/bin/mariadb-install-db'
const PASSWORD = 'bnacos-test-pw'

/** The newest installed PostgreSQL bin dir, e.g. /usr/lib/postgresql/15/bin. */
function pgBin(): string | undefined {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
  return versions.length ? join(base, versions[0], 'bin') : undefined
}

/** Whether each server can be started here. */
export function available(): { mariadb: boolean; postgres: boolean } {
  return { mariadb: existsSync(MARIADBD) && existsSync(INSTALL_DB), postgres: pgBin() !== undefined }
}

const isRoot = () => process.getuid?.() === 0

async function run(cmd: string[], what: string): Promise<void> {
  const p = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe' })
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  if (code !== 0) throw new Error(`${what} failed (${code}): ${out}${err}`)
}

/** Retries `connect` until the server accepts a query, or throws with the server log. */
async function waitReady(query: () => Promise<unknown>, proc: ReturnType<typeof Bun.spawn>, log: () => string, what: string): Promise<void> {
  const deadline = Date.now() + 30_000
  let last: unknown
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`${what} exited with ${proc.exitCode}: ${log()}`)
    try {
      await query()
      return
    } catch (e) {
      last = e
    }
    await Bun.sleep(100)
  }
  throw new Error(`${what} not ready within 30 s: ${String(last)}\n${log()}`)
}

function collect(proc: ReturnType<typeof Bun.spawn>): () => string {
  let out = ''
  for (const s of [proc.stdout, proc.stderr]) {
    ;(async () => {
      for await (const chunk of s as ReadableStream<Uint8Array>) out += new TextDecoder().decode(chunk)
    })()
  }
  return () => out
}

/**
 * Stops a server: `signal` to the server's own pid (under runuser, the spawned process is runuser, which does not
 * pass signals on), SIGKILL after 15 s; resolves once the spawned process has exited.
 */
async function terminate(proc: ReturnType<typeof Bun.spawn> | undefined, signal: NodeJS.Signals = 'SIGTERM', pid: () => number | undefined = () => proc?.pid) {
  if (!proc || proc.exitCode !== null) return
  const target = pid() ?? proc.pid
  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(target, sig)
    } catch {}
  }
  kill(signal)
  const t = setTimeout(() => kill('SIGKILL'), 15_000)
  await proc.exited
  clearTimeout(t)
}

/** Servers still running at exit (a test that crashed before close): killed so they do not outlive the test run. */
const leftovers = new Set<() => void>()
process.once('exit', () => {
  for (const kill of leftovers) kill()
})

/** Registers a server for the exit sweep; returns the function that unregisters it. */
function sweepOnExit(pid: () => number | undefined, dir: string): () => void {
  const kill = () => {
    const p = pid()
    try {
      if (p) process.kill(p, 'SIGKILL')
    } catch {}
    rmSync(dir, { recursive: true, force: true })
  }
  leftovers.add(kill)
  return () => void leftovers.delete(kill)
}

/** The postmaster's pid, from the first line of postmaster.pid. */
function postmasterPid(data: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
    return pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Starts MariaDB: `mariadb-install-db` into a temp dir, then `mariadbd --user=root` (it refuses root without it)
 * on 127.0.0.1, and creates database `bnacos` and user `bnacos` with a password, connecting as root over the socket.
 */
export async function startMariaDb(): Promise<DbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bnacos-mariadb-'))
  const data = join(dir, 'data')
  const socket = join(dir, 'mysqld.sock')
  const port = await freePort()
  await run([INSTALL_DB, '--no-defaults', `--datadir=${data}`, ...(isRoot() ? ['--user=root'] : []), '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], 'mariadb-install-db')
  let proc: ReturnType<typeof Bun.spawn> | undefined
  let log = () => ''
  const start = async () => {
    proc = Bun.spawn([
      MARIADBD, '--no-defaults', `--datadir=${data}`, `--socket=${socket}`, `--port=${port}`, '--bind-address=127.0.0.1', `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--tmpdir=${dir}`, '--skip-name-resolve', '--innodb-buffer-pool-size=32M', '--skip-log-bin', ...(isRoot() ? ['--user=root'] : []),
    ], { stdout: 'pipe', stderr: 'pipe' })
    log = collect(proc)
    const root = new SQL({ adapter: 'mysql', path: socket, username: 'root', database: 'mysql', max: 1 } as ConstructorParameters<typeof SQL>[0])
    try {
      await waitReady(() => root`SELECT 1`, proc, log, 'mariadbd')
      await root.unsafe('CREATE DATABASE IF NOT EXISTS bnacos CHARACTER SET utf8mb4 COLLATE utf8mb4_bin')
      await root.unsafe(`CREATE USER IF NOT EXISTS 'bnacos'@'%' IDENTIFIED BY '${PASSWORD}'`)
      await root.unsafe("GRANT ALL ON bnacos.* TO 'bnacos'@'%'")
    } finally {
      await root.close()
    }
  }
  await start()
  const unsweep = sweepOnExit(() => proc?.pid, dir)
  return {
    kind: 'mariadb',
    port,
    url: `mysql://bnacos:${PASSWORD}@127.0.0.1:${port}/bnacos`,
    stop: () => terminate(proc),
    start,
    async close() {
      await terminate(proc)
      unsweep()
      rmSync(dir, { recursive: true, force: true })
    },
    log: () => log(),
  }
}

/**
 * Starts PostgreSQL: `initdb` with SCRAM password auth into a temp dir owned by the `postgres` user (postgres
 * refuses to run as root, so as root both run through `runuser -u postgres`), then `postgres` on 127.0.0.1
 * with its socket in the temp dir, and creates database `bnacos` owned by user `bnacos`.
 */
export async function startPostgres(): Promise<DbServer> {
  const bin = pgBin()
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)')
  const dir = mkdtempSync(join(tmpdir(), 'bnacos-pg-'))
  const data = join(dir, 'data')
  const port = await freePort()
  const as = (cmd: string[]) => (isRoot() ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd)
  writeFileSync(join(dir, 'pw'), PASSWORD)
  if (isRoot()) {
    const pg = Bun.spawnSync(['id', '-u', 'postgres']).stdout.toString().trim()
    const gid = Bun.spawnSync(['id', '-g', 'postgres']).stdout.toString().trim()
    chownSync(dir, Number(pg), Number(gid))
    chownSync(join(dir, 'pw'), Number(pg), Number(gid))
  }
  await run(as([join(bin, 'initdb'), '-D', data, '-U', 'postgres', `--pwfile=${join(dir, 'pw')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']), 'initdb')
  let proc: ReturnType<typeof Bun.spawn> | undefined
  let log = () => ''
  const start = async () => {
    proc = Bun.spawn(as([join(bin, 'postgres'), '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'shared_buffers=16MB']), { stdout: 'pipe', stderr: 'pipe' })
    log = collect(proc)
    const admin = new SQL({ adapter: 'postgres', hostname: '127.0.0.1', port, username: 'postgres', password: PASSWORD, database: 'postgres', max: 1 })
    try {
      await waitReady(() => admin`SELECT 1`, proc, log, 'postgres')
      const [{ n }] = await admin`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'bnacos'`
      if (n === 0) {
        await admin.unsafe(`CREATE USER bnacos PASSWORD '${PASSWORD}'`)
        await admin.unsafe('CREATE DATABASE bnacos OWNER bnacos')
      }
    } finally {
      await admin.close()
    }
  }
  await start()
  const unsweep = sweepOnExit(() => postmasterPid(data), dir)
  return {
    kind: 'postgres',
    port,
    url: `postgres://bnacos:${PASSWORD}@127.0.0.1:${port}/bnacos`,
    // SIGINT is postgres's "fast" shutdown: it ends sessions instead of waiting for clients to leave.
    stop: () => terminate(proc, 'SIGINT', () => postmasterPid(data)),
    start,
    async close() {
      await terminate(proc, 'SIGINT', () => postmasterPid(data))
      unsweep()
      rmSync(dir, { recursive: true, force: true })
    },
    log: () => log(),
  }
}
