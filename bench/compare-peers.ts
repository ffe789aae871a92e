// The servers bench/compare.ts puts side by side: bnacos (the compiled dist/bnacos) and r-nacos at a pinned version,
// installed with cargo into a cache outside the repository (or reused from there). Java Nacos: see JAVA_NACOS_NOTE.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { bun, must, root, run } from './lib'

/** How to start one server on the shared ports, and what it is. */
export interface Peer {
  name: 'bnacos' | 'r-nacos'
  version: string
  binary: string
  /** Command and environment for HTTP port `http` (gRPC = http + 1000), run from the fresh directory `dir`. */
  command(http: number, dir: string): { cmd: string[]; env: Record<string, string> }
  /** The generators' bound on the wait for SetupAckRequest: r-nacos 0.8 sends none, so they carry on after it. */
  ackWait: string
}

export const RNACOS_VERSION = '0.8.8'
export const cacheDir = join(homedir(), '.cache', 'bnacos-bench')

/** Why there is no Java Nacos column (found out on 2026-11-22 with `mvn dependency:get` against Maven Central). */
export const JAVA_NACOS_NOTE =
  'not obtainable here. The only registry with Java artifacts this machine reaches is Maven Central, and it carries ' +
  'only the client side of Nacos (`com.alibaba.nacos:nacos-client`, `nacos-api`, `nacos-common`: found for 1.4.1, ' +
  '2.0.3, 2.1.0, 2.4.3, 2.5.1). The server modules (`nacos-console` with the `com.alibaba.nacos.Nacos` main class, ' +
  '`nacos-core`, `nacos-config`, `nacos-naming`, `nacos-default-plugin-all`, a `nacos-server` artifact) were not found ' +
  'in any of those versions; the server ships only as the release archive on GitHub, which is not reachable. So no ' +
  'runnable Java Nacos server can be assembled (a tiny pom for `nacos-console:2.4.3` fails with "Could not find ' +
  'artifact"); its column reads n/a.'

const rnacosBinary = join(cacheDir, 'rnacos', 'bin', 'rnacos')
const versionOf = async (bin: string) => (existsSync(bin) ? (await run([bin, '-V'], 10_000)).stdout.trim() : '')

/** The pinned r-nacos binary: the cached one, else an existing binary of that version copied into the cache, else
 *  `cargo install rnacos --version <pinned> --root <cache>/rnacos` (a build from crates.io, several minutes). */
async function ensureRnacos(say: (s: string) => void): Promise<string> {
  const want = `rnacos ${RNACOS_VERSION}`
  if ((await versionOf(rnacosBinary)) === want) return rnacosBinary
  mkdirSync(join(cacheDir, 'rnacos', 'bin'), { recursive: true })
  for (const other of [join(homedir(), '.cargo', 'bin', 'rnacos'), Bun.which('rnacos') ?? '']) {
    if (other && (await versionOf(other)) === want) {
      say(`reusing ${other} (${want}) as ${rnacosBinary}`)
      copyFileSync(other, rnacosBinary)
      return rnacosBinary
    }
  }
  say(`cargo install rnacos --version ${RNACOS_VERSION} (several minutes)`)
  const cargo = Bun.which('cargo') ?? join(homedir(), '.cargo', 'bin', 'cargo')
  await must([cargo, 'install', 'rnacos', '--version', RNACOS_VERSION, '--locked', '--root', join(cacheDir, 'rnacos')], 40 * 60_000)
  return rnacosBinary
}

/** bnacos, then r-nacos; builds dist/bnacos when it is missing or `build` is set. */
export async function peers(say: (s: string) => void, build: boolean): Promise<Peer[]> {
  const binary = join(root, 'dist', 'bnacos')
  if (!existsSync(binary) || build) {
    say('building dist/bnacos')
    await must([bun, 'scripts/build.ts'], 300_000, { PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` })
  }
  const pkg = JSON.parse(await Bun.file(join(root, 'package.json')).text())
  const built = statSync(binary).mtime.toISOString().replace(/\.\d+Z$/, 'Z')
  const rn = await ensureRnacos(say)
  return [
    {
      name: 'bnacos',
      version: `${pkg.version}, dist/bnacos built ${built} (Bun ${Bun.version}), default settings`,
      binary,
      ackWait: '0s',
      command: (http, dir) => ({
        cmd: [binary],
        env: { BNACOS_HOST: '127.0.0.1', BNACOS_HTTP_PORT: String(http), BNACOS_DATA_DIR: join(dir, 'data'), BNACOS_LOG_LEVEL: 'warn', BNACOS_SHUTDOWN_GRACE_MS: '500' },
      }),
    },
    {
      name: 'r-nacos',
      version: `${RNACOS_VERSION} (\`cargo install rnacos --version ${RNACOS_VERSION}\`, cached at ~/.cache/bnacos-bench/rnacos), default settings, RUST_LOG=warn`,
      binary: rn,
      ackWait: '100ms',
      command: (http, dir) => ({
        cmd: [rn],
        env: {
          RUST_LOG: 'warn',
          RNACOS_SDK_HOST: '127.0.0.1',
          RNACOS_CONSOLE_HOST: '127.0.0.1',
          RNACOS_HTTP_PORT: String(http),
          RNACOS_GRPC_PORT: String(http + 1000),
          RNACOS_HTTP_CONSOLE_PORT: String(http + 2000),
          RNACOS_DATA_DIR: join(dir, 'data'),
        },
      }),
    },
  ]
}
