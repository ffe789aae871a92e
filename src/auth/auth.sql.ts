import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** Users — Nacos's `users` table; `password` holds a bcrypt hash, so a Java Nacos table moves over as it is. */
export const users = sqliteTable('users', {
  username: text('username').primaryKey(),
  password: text('password').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
})

/** Role memberships — Nacos's `roles` table (`ROLE_ADMIN` is the global admin). */
export const roles = sqliteTable('roles', { username: text('username').notNull(), role: text('role').notNull() }, (t) => [uniqueIndex('idx_user_role').on(t.username, t.role)])

/** Grants — Nacos's `permissions`: `resource` is `namespace:group:type/name` with `*` patterns, `action` r, w or rw. */
export const permissions = sqliteTable(
  'permissions',
  { role: text('role').notNull(), resource: text('resource').notNull(), action: text('action').notNull() },
  (t) => [uniqueIndex('uk_role_permission').on(t.role, t.resource, t.action)],
)
