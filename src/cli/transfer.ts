import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createConfigCenter, type ConfigCenter } from '../config/center'
import { parsePolicy } from '../config/transfer/apply'
import { collectBundle, readBundle, writeBundle, type Bundle } from '../config/transfer/bundle'
import { restoreBundle } from '../config/transfer/restore'
import { sqliteConfigStore } from '../config/store-sqlite'
import type { Settings } from '../settings/settings'
import { NacosError } from '../shared/errors'
import { normalizeNamespace } from '../shared/namespace'
import { openStorage } from '../storage/db'
import { lockDataDir } from '../storage/lock'
import { UsageError } from './backup'

const USAGE = {
  export: 'usage: bnacos export FILE [--namespace NS]… [--data-dir DIR]',
  import: 'usage: bnacos import FILE [--policy abort|skip|overwrite] [--namespace NS] [--data-dir DIR]',
}

/** Splits `FILE --opt value --opt=value …`; options may repeat. */
function parseArgs(command: 'export' | 'import', argv: string[], allowed: string[]): { file: string; opts: Map<string, string[]> } {
  const opts = new Map<string, string[]>()
  const files: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) {
      files.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = (eq > 0 ? a.slice(2, eq) : a.slice(2))
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i]
    if (!allowed.includes(name) || value === undefined) throw new UsageError(`${USAGE[command]} (bad option ${a})`)
    opts.set(name, [...(opts.get(name) ?? []), value])
  }
  if (files.length !== 1) throw new UsageError(USAGE[command])
  return { file: files[0], opts }
}

/** The config center over a data dir's database (the server's own limits, so imports validate the same). */
async function openCenter(settings: Pick<Settings, 'dataDir' | 'dbSynchronous' | 'configMaxContentBytes' | 'historyRetentionDays'>) {
  const storage = openStorage({ dataDir: settings.dataDir, synchronous: settings.dbSynchronous })
  const cc: ConfigCenter = await createConfigCenter(sqliteConfigStore(storage.db), { maxContentBytes: settings.configMaxContentBytes, historyRetentionDays: settings.historyRetentionDays })
  return { storage, cc }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** `bnacos export`: writes namespaces, users, roles, grants and configs to FILE; safe while the server runs (WAL). */
async function runExport(argv: string[], settings: Settings): Promise<number> {
  const { file, opts } = parseArgs('export', argv, ['namespace'])
  if (!existsSync(join(settings.dataDir, 'bnacos.db'))) throw new Error(`no bnacos database in ${settings.dataDir} (set BNACOS_DATA_DIR or --data-dir)`)
  const { storage, cc } = await openCenter(settings)
  let bundle: Bundle
  try {
    bundle = await collectBundle(cc, storage.db, opts.get('namespace'))
  } finally {
    storage.close()
  }
  writeFileSync(file, writeBundle(bundle, `bnacos ${settings.version}`, new Date()))
  const configs = bundle.configs.reduce((n, c) => n + c.count, 0)
  console.log(`exported ${plural(bundle.configs.length, 'namespace')} (${plural(configs, 'config')}), ${plural(bundle.users.length, 'user')}, ${plural(bundle.roles.length, 'role')}, ${plural(bundle.permissions.length, 'permission')} to ${file}`)
  return 0
}

/**
 * `bnacos import`: reads a `bnacos export` file, or a plain Nacos config zip into `--namespace` (default public).
 * Holds the data-dir lock, so it refuses to run beside a server on the same data dir.
 */
async function runImport(argv: string[], settings: Settings): Promise<number> {
  const { file, opts } = parseArgs('import', argv, ['policy', 'namespace'])
  let policy
  try {
    policy = parsePolicy(opts.get('policy')?.at(-1))
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; ${USAGE.import}`)
  }
  const bytes = new Uint8Array(readFileSync(file))
  const lock = lockDataDir(settings.dataDir, 'import')
  try {
    const { storage, cc } = await openCenter(settings)
    try {
      const bundle = readBundle(bytes) ?? { namespaces: [], users: [], roles: [], permissions: [], configs: [{ namespace: normalizeNamespace(opts.get('namespace')?.at(-1)), zip: bytes, extras: [], count: 0 }] }
      const r = restoreBundle(cc, storage.db, bundle, policy, { srcUser: 'bnacos-import', srcIp: '' })
      if (r.aborted) {
        console.error(`import aborted, nothing written: ${r.aborted.group}/${r.aborted.dataId} already exists in namespace ${r.aborted.namespace} (use --policy skip or overwrite)`)
        return 1
      }
      const extra = [r.skipped ? `${r.skipped} skipped` : '', r.unrecognized ? `${r.unrecognized} unrecognized entries` : ''].filter(Boolean).join(', ')
      console.log(`imported ${plural(r.configs, 'config')}${extra ? ` (${extra})` : ''}, ${plural(r.namespaces, 'namespace')}, ${plural(r.users, 'user')}, ${plural(r.roles, 'role')}, ${plural(r.permissions, 'permission')} from ${file} (policy ${policy.toLowerCase()})`)
      return 0
    } finally {
      storage.close()
    }
  } catch (e) {
    // Validation failures name the entry; they are the user's data, not a crash.
    if (e instanceof NacosError) throw new Error(`import refused, nothing written: ${e.message}`)
    throw e
  } finally {
    lock.release()
  }
}

/** Runs `bnacos export|import` (dispatched from main.ts); returns the exit code after a one-line summary. */
export async function runTransferCommand(command: 'export' | 'import', argv: string[], settings: Settings): Promise<number> {
  return command === 'export' ? runExport(argv, settings) : runImport(argv, settings)
}
