import { sql } from 'drizzle-orm'
import { bigint, index, longtext, mysqlTable, uniqueIndex, varchar } from 'drizzle-orm/mysql-core'

// MySQL/MariaDB twin of config.sql.ts (same exports, properties and SQL names). Key columns are varchar(255/128) so
// the unique indexes fit InnoDB's 3072-byte limit in utf8mb4; TEXT defaults are written as `('…')` expressions
// because MySQL 8 accepts only expression defaults on TEXT columns (MariaDB accepts both).

/** Formal config versions — Nacos's `config_info` (times are epoch ms; tags inline instead of config_tags_relation). */
export const configInfo = mysqlTable(
  'config_info',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    content: longtext('content').notNull(),
    md5: varchar('md5', { length: 32 }).notNull(),
    appName: varchar('app_name', { length: 128 }).notNull().default(''),
    type: varchar('type', { length: 64 }).notNull().default('text'),
    desc: varchar('c_desc', { length: 1024 }).notNull().default(''),
    use: varchar('c_use', { length: 64 }).notNull().default(''),
    effect: varchar('effect', { length: 64 }).notNull().default(''),
    schema: longtext('c_schema').notNull().default(sql`('')`),
    configTags: varchar('config_tags', { length: 1024 }).notNull().default(''),
    encryptedDataKey: varchar('encrypted_data_key', { length: 1024 }).notNull().default(''),
    srcUser: varchar('src_user', { length: 255 }).notNull().default(''),
    srcIp: varchar('src_ip', { length: 64 }).notNull().default(''),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_configinfo_datagrouptenant').on(t.dataId, t.groupId, t.tenantId), index('idx_configinfo_tenant').on(t.tenantId)],
)

/** Gray versions (beta by client IP, tag) — Nacos 2.5's `config_info_gray`; `gray_rule` is JSON. */
export const configInfoGray = mysqlTable(
  'config_info_gray',
  {
    id: bigint('id', { mode: 'number' }).autoincrement().primaryKey(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    grayName: varchar('gray_name', { length: 128 }).notNull(),
    grayRule: longtext('gray_rule').notNull(),
    content: longtext('content').notNull(),
    md5: varchar('md5', { length: 32 }).notNull(),
    appName: varchar('app_name', { length: 128 }).notNull().default(''),
    encryptedDataKey: varchar('encrypted_data_key', { length: 1024 }).notNull().default(''),
    srcUser: varchar('src_user', { length: 255 }).notNull().default(''),
    srcIp: varchar('src_ip', { length: 64 }).notNull().default(''),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('uk_configinfogray_datagrouptenantgray').on(t.dataId, t.groupId, t.tenantId, t.grayName)],
)

/** Change history — Nacos's `his_config_info` (`I` rows hold the inserted content, `U`/`D` the content before). */
export const hisConfigInfo = mysqlTable(
  'his_config_info',
  {
    nid: bigint('nid', { mode: 'number' }).autoincrement().primaryKey(),
    id: bigint('id', { mode: 'number' }).notNull(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    appName: varchar('app_name', { length: 128 }).notNull().default(''),
    content: longtext('content').notNull(),
    md5: varchar('md5', { length: 32 }).notNull(),
    opType: varchar('op_type', { length: 10 }).notNull(),
    publishType: varchar('publish_type', { length: 50 }).notNull().default('formal'),
    grayName: varchar('gray_name', { length: 128 }).notNull().default(''),
    extInfo: longtext('ext_info').notNull().default(sql`('{}')`),
    encryptedDataKey: varchar('encrypted_data_key', { length: 1024 }).notNull().default(''),
    srcUser: varchar('src_user', { length: 255 }).notNull().default(''),
    srcIp: varchar('src_ip', { length: 64 }).notNull().default(''),
    gmtCreate: bigint('gmt_create', { mode: 'number' }).notNull(),
    gmtModified: bigint('gmt_modified', { mode: 'number' }).notNull(),
  },
  (t) => [index('idx_his_did').on(t.dataId, t.groupId, t.tenantId), index('idx_his_gmt_modified').on(t.gmtModified)],
)

/**
 * The cluster's change log (MySQL/PostgreSQL only): each config write inserts a row in its transaction and every
 * node tails it by `seq` (docs/cluster.md §3). `gray_name` is '' for the formal config, `op` U (upsert) or D
 * (delete), `md5` '' on delete.
 */
export const configChange = mysqlTable(
  'config_change',
  {
    seq: bigint('seq', { mode: 'number' }).autoincrement().primaryKey(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    grayName: varchar('gray_name', { length: 128 }).notNull().default(''),
    op: varchar('op', { length: 1 }).notNull(),
    md5: varchar('md5', { length: 32 }).notNull().default(''),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('idx_config_change_at').on(t.at)],
)
