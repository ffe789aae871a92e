import { Database } from 'bun:sqlite'
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { migrations } from '../../drizzle/migrations'
import { lockDataDir } from './lock'

/** The database file inside a data dir (as openStorage names it). */
export const DB_FILE = 'bnacos.db'

/** What a backup or restore produced: the file, its size and the rows of every table. */
export interface BackupSummary {
  file: string
  bytes: number
  rows: Record<string, number>
  /** Restore only: where the replaced database was kept. */
  previous?: string
}

/** Row counts of every user table, for the summary an operator reads (and tests compare). */
export function tableRows(db: Database): Record<string, number> {
  const out: Record<string, number> = {}
  const names = db.query<{ name: string }, []>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all()
  for (const { name } of names) out[name] = db.query<{ n: number }, []>(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`).get()!.n
  return out
}

function fsyncFile(path: string) {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Online backup to one file: `VACUUM INTO` on a separate read connection. Under WAL that connection reads one
 * consistent snapshot while the running server keeps writing, so the file holds exactly the transactions
 * committed when it started. Written to a temporary name and renamed, so a half-written backup never exists.
 */
export function backupDatabase(dataDir: string, file: string): BackupSummary {
  const source = join(resolve(dataDir), DB_FILE)
  const target = resolve(file)
  if (!existsSync(source)) throw new Error(`no database to back up: ${source} does not exist`)
  if (existsSync(target)) throw new Error(`backup file ${target} already exists; choose a new name`)
  const partial = join(dirname(target), `.${Date.now()}-${process.pid}.bnacos-backup.partial`)
  const db = new Database(source, { readonly: true })
  try {
    db.run('PRAGMA busy_timeout = 5000')
    db.run('VACUUM INTO ?', [partial])
  } catch (e) {
    rmSync(partial, { force: true })
    throw new Error(`backup of ${source} failed: ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    db.close()
  }
  try {
    const rows = verifyBackup(partial)
    fsyncFile(partial)
    renameSync(partial, target)
    return { file: target, bytes: statSync(target).size, rows }
  } catch (e) {
    rmSync(partial, { force: true })
    throw e
  }
}

/**
 * Checks a backup file before it may replace a database: SQLite's integrity check passes, it holds our
 * migrations table, and every migration it recorded is one this build knows (a backup from a newer bnacos
 * would lose its newer tables' meaning). Returns the row counts.
 */
export function verifyBackup(file: string): Record<string, number> {
  if (!existsSync(file)) throw new Error(`backup file ${file} does not exist`)
  let db: Database
  try {
    db = new Database(file, { readonly: true })
  } catch (e) {
    throw new Error(`${file} is not an SQLite database: ${e instanceof Error ? e.message : String(e)}`)
  }
  try {
    let check: string
    try {
      check = db.query<{ integrity_check: string }, []>('PRAGMA integrity_check').all().map((r) => r.integrity_check).join('; ')
    } catch (e) {
      throw new Error(`${file} is not a bnacos backup: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (check !== 'ok') throw new Error(`backup file ${file} is damaged: ${check}`)
    const hasTable = db.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`).get()
    if (!hasTable) throw new Error(`${file} is not a bnacos backup: it has no __drizzle_migrations table`)
    const known = new Set(migrations.map((m) => m.when))
    const recorded = db.query<{ created_at: number }, []>('SELECT created_at FROM __drizzle_migrations').all()
    const unknown = recorded.filter((r) => !known.has(Number(r.created_at)))
    if (unknown.length) throw new Error(`${file} was written by a newer bnacos (${unknown.length} migration(s) this version does not know); restore it with that version`)
    if (!recorded.length) throw new Error(`${file} is not a bnacos backup: no migrations recorded`)
    return tableRows(db)
  } finally {
    db.close()
  }
}

/**
 * Replaces the data dir's database with a verified backup. Refuses while any process holds the data dir (the
 * server must be stopped), keeps the replaced database as `bnacos.db.<time>.bak`, and swaps with one rename so
 * the dir holds either the old or the new database at every instant, never neither.
 */
export function restoreDatabase(dataDir: string, file: string): BackupSummary {
  const source = resolve(file)
  const rows = verifyBackup(source)
  const dir = resolve(dataDir)
  const lock = lockDataDir(dir, 'restore')
  try {
    const target = join(dir, DB_FILE)
    const incoming = join(dir, `${DB_FILE}.restoring`)
    copyFileSync(source, incoming)
    fsyncFile(incoming)
    let previous: string | undefined
    if (existsSync(target)) {
      // Fold the WAL into the main file first: the .bak must be complete on its own, and a leftover -wal would
      // otherwise be replayed onto the restored database.
      const old = new Database(target)
      try {
        old.run('PRAGMA wal_checkpoint(TRUNCATE)')
      } finally {
        old.close()
      }
      previous = join(dir, `${DB_FILE}.${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.bak`)
      try {
        linkSync(target, previous)
      } catch {
        copyFileSync(target, previous)
      }
    }
    for (const side of ['-wal', '-shm', '-journal']) rmSync(target + side, { force: true })
    renameSync(incoming, target)
    return { file: target, bytes: statSync(target).size, rows, previous }
  } finally {
    lock.release()
  }
}
