import { bigserial, bigint, pgTable, varchar } from 'drizzle-orm/pg-core'

// PostgreSQL twin of namespace.sql.ts (same exports, properties, SQL names and lengths as the MySQL twin).

/** Custom namespaces — Nacos's `tenant_info`. The default namespace `public` is implicit and never stored. */
export const tenantInfo = pgTable('tenant_info', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  kp: varchar('kp', { length: 128 }).notNull().default('1'),
  tenantId: varchar('tenant_id', { length: 128 }).notNull().unique('uk_tenant_info_kptenantid'),
  tenantName: varchar('tenant_name', { length: 128 }).notNull().default(''),
  tenantDesc: varchar('tenant_desc', { length: 256 }).notNull().default(''),
  createSource: varchar('create_source', { length: 32 }).notNull().default(''),
  gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
  gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
})
