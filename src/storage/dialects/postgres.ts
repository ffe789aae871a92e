import { SQL } from 'bun'
import { drizzle, type BunSQLDatabase } from 'drizzle-orm/bun-sql'

/** An open PostgreSQL pool behind Drizzle; `client` is the raw Bun.SQL pool (the migrator reserves one connection). */
export interface PostgresStorage {
  dialect: 'postgres'
  db: BunSQLDatabase
  client: SQL
  close(): Promise<void>
}

/**
 * Opens PostgreSQL through Bun's built-in client (Bun.SQL, compiled into the binary, no npm driver) and Drizzle's
 * `bun-sql` driver. Bun.SQL pools connections and reconnects after the server restarts.
 */
export function openPostgres(url: string, max = 10): PostgresStorage {
  const client = new SQL({ url, max, idleTimeout: 60, connectionTimeout: 5 })
  return { dialect: 'postgres', db: drizzle({ client }), client, close: () => client.close() }
}
