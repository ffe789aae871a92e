import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Who changed what, when and from where: one row per successful write made through the APIs. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    ip: text('ip').notNull(),
    action: text('action').notNull(),
    resource: text('resource').notNull(),
    detail: text('detail').notNull(),
  },
  (t) => [index('idx_audit_at').on(t.at), index('idx_audit_actor').on(t.actor)],
)
