import { bigint, mysqlTable, varchar } from 'drizzle-orm/mysql-core'

// MySQL/MariaDB twin of namespace.sql.ts (same exports, properties and SQL names).

/** Custom namespaces — Nacos's `tenant_info`. The default namespace `public` is implicit and never stored. */
export const tenantInfo = mysqlTable('tenant_info', {
  id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
  kp: varchar('kp', { length: 128 }).notNull().default('1'),
  tenantId: varchar('tenant_id', { length: 128 }).notNull().unique('uk_tenant_info_kptenantid'),
  tenantName: varchar('tenant_name', { length: 128 }).notNull().default(''),
  tenantDesc: varchar('tenant_desc', { length: 256 }).notNull().default(''),
  createSource: varchar('create_source', { length: 32 }).notNull().default(''),
  gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
  gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
})
