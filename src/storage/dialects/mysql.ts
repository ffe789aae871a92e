import { drizzle, type MySql2Database } from 'drizzle-orm/mysql2'
import mysql from 'mysql2/promise'

/** An open MySQL/MariaDB pool behind Drizzle; `pool` is the raw mysql2 pool (the migrator needs one connection of it). */
export interface MysqlStorage {
  dialect: 'mysql'
  db: MySql2Database
  pool: mysql.Pool
  close(): Promise<void>
}

/**
 * Opens MySQL or MariaDB through `mysql2` and Drizzle's `mysql2` driver. Drizzle 0.45's `bun-sql` driver is
 * PostgreSQL-only and its `mysql-proxy` driver has no transactions; Drizzle 1.0 adds `bun-sql/mysql` (see
 * docs/cluster.md). Numbers stay numbers (bigint columns hold epoch ms), text is utf8mb4.
 */
export function openMysql(url: string, max = 10): MysqlStorage {
  const pool = mysql.createPool({ uri: url, connectionLimit: max, supportBigNumbers: true, charset: 'utf8mb4_bin', enableKeepAlive: true })
  return { dialect: 'mysql', db: drizzle({ client: pool }), pool, close: () => pool.end() }
}
