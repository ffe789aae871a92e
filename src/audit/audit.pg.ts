import { bigserial, bigint, index, text, pgTable, varchar } from 'drizzle-orm/pg-core'

// PostgreSQL twin of audit.sql.ts (same exports, properties, SQL names and lengths as the MySQL twin).

/** Who changed what, when and from where: one row per successful write made through the APIs. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: bigint('at', { mode: 'number' }).notNull(),
    actor: varchar('actor', { length: 128 }).notNull(),
    ip: varchar('ip', { length: 64 }).notNull(),
    action: varchar('action', { length: 128 }).notNull(),
    resource: varchar('resource', { length: 1024 }).notNull(),
    detail: text('detail').notNull(),
  },
  (t) => [index('idx_audit_at').on(t.at), index('idx_audit_actor').on(t.actor)],
)
