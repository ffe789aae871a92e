import { migrateRemote } from './dialects/migrate-remote'
import { openMysql } from './dialects/mysql'
import { openPostgres } from './dialects/postgres'
import { parseDbUrl } from './dialects/url'
import type { RemoteStorage } from './db'
import type { RemoteDb } from './remote'

/**
 * Opens the shared database a `mysql://`, `mariadb://` or `postgres://` URL names and brings its schema up to date
 * (once per cluster: the migrator holds a database-wide lock). `name` is what errors call the setting.
 */
export async function openRemote(url: string, opts: { name?: string; poolSize?: number } = {}): Promise<RemoteDb> {
  const target = parseDbUrl(url, opts.name ?? 'BNACOS_DB_URL')
  if (target.dialect === 'sqlite') throw new Error(`${opts.name ?? 'BNACOS_DB_URL'} must name a MySQL/MariaDB or PostgreSQL database`)
  const opened = target.dialect === 'mysql' ? openMysql(target.url, opts.poolSize) : openPostgres(target.url, opts.poolSize)
  const remote: RemoteDb = { dialect: target.dialect, db: opened.db as unknown as RemoteDb['db'], close: () => opened.close() }
  try {
    await migrateRemote(opened)
  } catch (e) {
    await remote.close().catch(() => {})
    throw e
  }
  return remote
}

/** Storage on the shared database; the node's own files (lock, token key) stay in `dataDir`. */
export async function openRemoteStorage(url: string, dataDir: string | ':memory:'): Promise<RemoteStorage> {
  const remote = await openRemote(url)
  return { kind: 'remote', remote, dataDir, close: () => remote.close() }
}
