import { Database } from 'bun:sqlite'
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from './migrate'
import type { RemoteDb } from './remote'

/** The Drizzle handle every feature's storage code uses. */
export type Db = BunSQLiteDatabase

/** Where shared data lives: the embedded SQLite (standalone) or a network database (cluster, BNACOS_DB_URL). */
export type Storage = SqliteStorage | RemoteStorage

/** A network database opened from BNACOS_DB_URL; features build their stores on `remote`. */
export interface RemoteStorage {
  kind: 'remote'
  remote: RemoteDb
  /** The node's own files (data-dir lock, token key when not configured) still go here. */
  dataDir: string | ':memory:'
  close(): Promise<void>
}

/** An open embedded database: the Drizzle handle and the raw connection (for pragmas, backups and close). */
export interface SqliteStorage {
  kind: 'sqlite'
  db: Db
  /** Where the database lives, or `:memory:`; other per-installation files (the token key) go beside it. */
  dataDir: string | ':memory:'
  sqlite: Database
  close(): void
}

/** Opens (creating if needed) the SQLite file in dataDir, or `:memory:`; sets WAL and migrates. */
export function openStorage(opts: { dataDir: string | ':memory:'; synchronous?: 'normal' | 'full' }): SqliteStorage {
  let path = ':memory:'
  if (opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true })
    path = join(opts.dataDir, 'bnacos.db')
  }
  const sqlite = new Database(path, { create: true, strict: true })
  // WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every committed transaction
  // across a crash of the process (kill -9); FULL adds an fsync per commit for power loss.
  sqlite.run('PRAGMA journal_mode = WAL')
  sqlite.run(`PRAGMA synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
  sqlite.run('PRAGMA busy_timeout = 5000')
  // Checkpoint every ~40 MB of log instead of SQLite's 4 MB: the checkpoint runs inside the committing write and
  // waits on a flush, so at the default every ~140th publish paid for it (perf-write profile); each commit is
  // still in the log as before, so durability does not change.
  sqlite.run('PRAGMA wal_autocheckpoint = 10000')
  sqlite.run('PRAGMA foreign_keys = ON')
  migrate(sqlite)
  return { kind: 'sqlite', db: drizzle({ client: sqlite }), dataDir: opts.dataDir, sqlite, close: () => sqlite.close() }
}

/**
 * Memoizes statements built from a Db, once per database. Drizzle renders and `prepare`s the SQL on every plain
 * call — 62% + 14% of the HTTP publish profile (bench/results/2026-11-22-d3be2ab-profile.md) — while a
 * `.prepare()`d query with `sql.placeholder`s only binds values. Keyed weakly so a closed test database goes away.
 */
export function perDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>()
  return (db) => {
    let built = cache.get(db)
    if (!built) cache.set(db, (built = build(db)))
    return built
  }
}
