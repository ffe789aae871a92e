import type { Database } from 'bun:sqlite'
import { migrations } from '../../drizzle/migrations'

/**
 * Applies the embedded drizzle migrations not yet recorded. Uses drizzle's own `__drizzle_migrations` table
 * (sha256 of the SQL, creation time) so drizzle-kit tooling sees the same state.
 */
export function migrate(sqlite: Database): number {
  sqlite.run(`CREATE TABLE IF NOT EXISTS __drizzle_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)`)
  const last = sqlite.query<{ created_at: number }, []>('SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1').get()
  const pending = migrations.filter((m) => !last || m.when > Number(last.created_at))
  const apply = sqlite.transaction(() => {
    for (const m of pending) {
      for (const stmt of m.sql.split('--> statement-breakpoint')) if (stmt.trim()) sqlite.run(stmt)
      const hash = new Bun.CryptoHasher('sha256').update(m.sql).digest('hex')
      sqlite.run('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)', [hash, m.when])
    }
  })
  apply()
  return pending.length
}
