import { bigint, index, longtext, mysqlTable, varchar } from 'drizzle-orm/mysql-core'

// MySQL/MariaDB twin of audit.sql.ts (same exports, properties and SQL names).

/** Who changed what, when and from where: one row per successful write made through the APIs. */
export const auditLog = mysqlTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    at: bigint('at', { mode: 'number' }).notNull(),
    actor: varchar('actor', { length: 128 }).notNull(),
    ip: varchar('ip', { length: 64 }).notNull(),
    action: varchar('action', { length: 128 }).notNull(),
    resource: varchar('resource', { length: 1024 }).notNull(),
    detail: longtext('detail').notNull(),
  },
  (t) => [index('idx_audit_at').on(t.at), index('idx_audit_actor').on(t.actor)],
)
