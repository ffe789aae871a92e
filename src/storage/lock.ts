import { Database } from 'bun:sqlite'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join, resolve } from 'node:path'

/** The lock side file: an SQLite file held under an exclusive lock while a process owns the data dir. */
export const LOCK_FILE = 'bnacos.lock'
/** Who holds the lock (pid, host, since): information for the refusal message only, never the lock itself. */
export const OWNER_FILE = 'bnacos.pid'

/** A held data-dir lock; release it once the database is closed. */
export interface DataDirLock {
  release(): void
}

/** Thrown when another process owns the data dir. */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly owner: string) {
    super(`data dir ${dataDir} is in use by ${owner}; stop that process first or point BNACOS_DATA_DIR at another directory`)
  }
}

function describeOwner(dataDir: string): string {
  try {
    const o = JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as { pid?: number; host?: string; since?: string; command?: string }
    const what = o.command ? `bnacos ${o.command}` : 'bnacos'
    return `another ${what} process (pid ${o.pid} on ${o.host}, since ${o.since})`
  } catch {
    return 'another process'
  }
}

/**
 * Takes the one-process-per-data-dir lock. The lock is SQLite's own exclusive file lock on a side file, held
 * by an open transaction: the operating system drops it when the process dies, so a `kill -9` never leaves a
 * stale lock behind (a pid file would). SQLite also refuses a second connection in the same process.
 * `command` names what holds it (server, restore, import) in the message a refused process prints.
 */
export function lockDataDir(dataDir: string, command = 'server'): DataDirLock {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, LOCK_FILE), { create: true })
  try {
    db.run('PRAGMA busy_timeout = 0')
    db.run('PRAGMA locking_mode = EXCLUSIVE')
    db.run('BEGIN EXCLUSIVE')
  } catch (e) {
    db.close()
    if (/locked|busy/i.test(String(e))) throw new DataDirLockedError(dir, describeOwner(dir))
    throw new Error(`cannot lock data dir ${dir}: ${e instanceof Error ? e.message : String(e)}`)
  }
  const ownerFile = join(dir, OWNER_FILE)
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), command }) + '\n')
  let held = true
  return {
    release() {
      if (!held) return
      held = false
      rmSync(ownerFile, { force: true })
      try {
        db.run('ROLLBACK')
      } finally {
        db.close()
      }
    },
  }
}
