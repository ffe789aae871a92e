import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** Custom namespaces — Nacos's `tenant_info`. The default namespace `public` is implicit and never stored. */
export const tenantInfo = sqliteTable('tenant_info', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  kp: text('kp').notNull().default('1'),
  tenantId: text('tenant_id').notNull().unique('uk_tenant_info_kptenantid'),
  tenantName: text('tenant_name').notNull().default(''),
  tenantDesc: text('tenant_desc').notNull().default(''),
  createSource: text('create_source').notNull().default(''),
  gmtCreate: integer('gmt_create').notNull(),
  gmtModified: integer('gmt_modified').notNull(),
})
