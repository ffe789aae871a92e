import { Database } from 'bun:sqlite'
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from './migrate'

/** The Drizzle handle every feature's storage code uses. */
export type Db = BunSQLiteDatabase

/** An open database: the Drizzle handle and the raw connection (for pragmas, backups and close). */
export interface Storage {
  db: Db
  /** Where the database lives, or `:memory:`; other per-installation files (the token key) go beside it. */
  dataDir: string | ':memory:'
  sqlite: Database
  close(): void
}

/** Opens (creating if needed) the SQLite file in dataDir, or `:memory:`; sets WAL and migrates. */
export function openStorage(opts: { dataDir: string | ':memory:'; synchronous?: 'normal' | 'full' }): Storage {
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
  sqlite.run('PRAGMA foreign_keys = ON')
  migrate(sqlite)
  return { db: drizzle({ client: sqlite }), dataDir: opts.dataDir, sqlite, close: () => sqlite.close() }
}
