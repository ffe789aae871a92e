import type { SQL } from 'bun'
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise'
import { migrations as mysqlMigrations } from '../../../drizzle/mysql/migrations'
import { migrations as pgMigrations } from '../../../drizzle/pg/migrations'

/** What the migrator needs of an opened database: the raw pool, from which it takes one dedicated connection. */
export type RemoteMigrationTarget = { dialect: 'mysql'; pool: Pool } | { dialect: 'postgres'; client: SQL }

/** One embedded migration (drizzle/mysql/migrations.ts, drizzle/pg/migrations.ts). */
type Migration = { tag: string; when: number; sql: string }

/** Key of the PostgreSQL advisory lock that serialises migrations across the cluster ('bnacos' in ASCII). */
const PG_LOCK_KEY = 108226219831155
/** Name of the MySQL user lock that serialises migrations across the cluster. */
const MYSQL_LOCK = 'bnacos_migrate'
/** Seconds a node waits for another node's migration before giving up. */
const LOCK_WAIT_S = 60

/**
 * Applies the embedded migrations of the database's dialect not yet recorded in `__drizzle_migrations` (id, sha256
 * hash, created_at = the migration's journal time, as src/storage/migrate.ts does on SQLite) and returns how many
 * ran. Runs under a database-wide lock on one dedicated connection, so nodes starting together migrate once: the
 * others wait, then find nothing pending. On MySQL/MariaDB it first refuses a database whose default charset is not
 * utf8mb4/utf8mb4_bin, because drizzle-kit emits no table options and Nacos keys must compare case-sensitively.
 */
export async function migrateRemote(r: RemoteMigrationTarget): Promise<number> {
  return r.dialect === 'mysql' ? migrateMysql(r.pool) : migratePostgres(r.client)
}

/** The migrations newer than the last recorded one (same rule as the SQLite migrator). */
function pending(all: Migration[], last: number | undefined): Migration[] {
  return all.filter((m) => last === undefined || m.when > last)
}

/** The statements of one migration file. */
function statements(m: Migration): string[] {
  return m.sql.split('--> statement-breakpoint').filter((s) => s.trim())
}

/** sha256 of a migration's SQL, as drizzle records it. */
function hashOf(m: Migration): string {
  return new Bun.CryptoHasher('sha256').update(m.sql).digest('hex')
}

/** Throws unless the current database defaults to utf8mb4 with the binary (case-sensitive) collation. */
async function checkCharset(conn: PoolConnection): Promise<void> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db, @@character_set_database AS cs, @@collation_database AS co')
  const { db, cs, co } = rows[0] as { db: string; cs: string; co: string }
  if (cs === 'utf8mb4' && co === 'utf8mb4_bin') return
  throw new Error(
    `database ${db} has default character set ${cs} collation ${co}; bnacos needs utf8mb4 / utf8mb4_bin so config keys are case-sensitive as in Nacos. ` +
      `Run, before any table exists: ALTER DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  )
}

/**
 * Throws when the database already holds Nacos-named tables that bnacos did not create (no bookkeeping table): most
 * likely a Java Nacos schema, whose columns differ (datetime times, other ids). Creating ours beside it would fail
 * half-way; writing into it would corrupt it.
 */
function refuseForeignSchema(tables: string[], db: string): void {
  if (tables.includes('__drizzle_migrations') || !tables.includes('config_info')) return
  throw new Error(
    `database ${db} already holds a config_info table that bnacos did not create (a Java Nacos schema?); give bnacos its own empty database and move the data with export/import (docs/migration.md)`,
  )
}

/** MySQL/MariaDB: GET_LOCK is per connection, so everything runs on one connection taken from the pool. */
async function migrateMysql(pool: Pool): Promise<number> {
  const conn = await pool.getConnection()
  try {
    await checkCharset(conn)
    const [got] = await conn.query<RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [MYSQL_LOCK, LOCK_WAIT_S])
    if (Number(got[0].got) !== 1) throw new Error(`another node held the migration lock ${MYSQL_LOCK} for over ${LOCK_WAIT_S}s`)
    try {
      const [found] = await conn.query<RowDataPacket[]>("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN ('__drizzle_migrations', 'config_info')")
      const [[{ db }]] = (await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db')) as unknown as [{ db: string }[]]
      refuseForeignSchema(found.map((r) => String(r.t ?? r.T ?? r.TABLE_NAME)), db)
      await conn.query('CREATE TABLE IF NOT EXISTS `__drizzle_migrations` (`id` serial PRIMARY KEY, `hash` text NOT NULL, `created_at` bigint)')
      const [rows] = await conn.query<RowDataPacket[]>('SELECT created_at FROM `__drizzle_migrations` ORDER BY created_at DESC LIMIT 1')
      const todo = pending(mysqlMigrations, rows.length ? Number(rows[0].created_at) : undefined)
      // MySQL commits DDL implicitly, so a migration is not atomic here: it is recorded only after all its statements ran.
      for (const m of todo) {
        for (const stmt of statements(m)) await conn.query(stmt)
        await conn.query('INSERT INTO `__drizzle_migrations` (hash, created_at) VALUES (?, ?)', [hashOf(m), m.when])
      }
      return todo.length
    } finally {
      await conn.query('SELECT RELEASE_LOCK(?)', [MYSQL_LOCK]).catch(() => {})
    }
  } finally {
    conn.release()
  }
}

/** PostgreSQL: a session advisory lock on one reserved connection; each migration is one transaction (DDL is transactional). */
async function migratePostgres(client: SQL): Promise<number> {
  const conn = await client.reserve()
  try {
    await conn.unsafe(`SELECT pg_advisory_lock(${PG_LOCK_KEY})`)
    try {
      const found = (await conn.unsafe("SELECT table_name AS t, current_database() AS db FROM information_schema.tables WHERE table_schema = current_schema() AND table_name IN ('__drizzle_migrations', 'config_info')")) as { t: string; db: string }[]
      refuseForeignSchema(found.map((r) => r.t), found[0]?.db ?? 'the database')
      await conn.unsafe('CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)')
      const rows = (await conn.unsafe('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1')) as { created_at: unknown }[]
      const todo = pending(pgMigrations, rows.length ? Number(rows[0].created_at) : undefined)
      for (const m of todo) {
        await conn.unsafe('BEGIN')
        try {
          for (const stmt of statements(m)) await conn.unsafe(stmt)
          await conn.unsafe('INSERT INTO "__drizzle_migrations" (hash, created_at) VALUES ($1, $2)', [hashOf(m), m.when])
          await conn.unsafe('COMMIT')
        } catch (e) {
          await conn.unsafe('ROLLBACK').catch(() => {})
          throw e
        }
      }
      return todo.length
    } finally {
      await conn.unsafe(`SELECT pg_advisory_unlock(${PG_LOCK_KEY})`).catch(() => {})
    }
  } finally {
    conn.release()
  }
}
