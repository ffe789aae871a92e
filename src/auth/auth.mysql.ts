import { boolean, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'

// MySQL/MariaDB twin of auth.sql.ts (same exports, properties and SQL names).

/** Users — Nacos's `users` table; `password` holds a bcrypt hash, so a Java Nacos table moves over as it is. */
export const users = mysqlTable('users', {
  username: varchar('username', { length: 128 }).primaryKey(),
  password: varchar('password', { length: 512 }).notNull(),
  enabled: boolean('enabled').notNull().default(true),
})

/** Role memberships — Nacos's `roles` table (`ROLE_ADMIN` is the global admin). */
export const roles = mysqlTable(
  'roles',
  { username: varchar('username', { length: 128 }).notNull(), role: varchar('role', { length: 128 }).notNull() },
  (t) => [uniqueIndex('idx_user_role').on(t.username, t.role)],
)

/** Grants — Nacos's `permissions`: `resource` is `namespace:group:type/name` with `*` patterns, `action` r, w or rw. */
export const permissions = mysqlTable(
  'permissions',
  { role: varchar('role', { length: 128 }).notNull(), resource: varchar('resource', { length: 512 }).notNull(), action: varchar('action', { length: 8 }).notNull() },
  (t) => [uniqueIndex('uk_role_permission').on(t.role, t.resource, t.action)],
)
