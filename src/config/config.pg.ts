import { bigint, bigserial, index, pgTable, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core'

// PostgreSQL twin of config.sql.ts (same exports, properties, SQL names and lengths as config.mysql.ts, so a value
// one dialect accepts the other accepts too). PostgreSQL text equality is case-sensitive, as Nacos keys must be.

/** Formal config versions — Nacos's `config_info` (times are epoch ms; tags inline instead of config_tags_relation). */
export const configInfo = pgTable(
  'config_info',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    content: text('content').notNull(),
    md5: varchar('md5', { length: 32 }).notNull(),
    appName: varchar('app_name', { length: 128 }).notNull().default(''),
    type: varchar('type', { length: 64 }).notNull().default('text'),
    desc: varchar('c_desc', { length: 1024 }).notNull().default(''),
    use: varchar('c_use', { length: 64 }).notNull().default(''),
    effect: varchar('effect', { length: 64 }).notNull().default(''),
    schema: text('c_schema').notNull().default(''),
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
export const configInfoGray = pgTable(
  'config_info_gray',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    grayName: varchar('gray_name', { length: 128 }).notNull(),
    grayRule: text('gray_rule').notNull(),
    content: text('content').notNull(),
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
export const hisConfigInfo = pgTable(
  'his_config_info',
  {
    nid: bigserial('nid', { mode: 'number' }).primaryKey(),
    id: bigint('id', { mode: 'number' }).notNull(),
    dataId: varchar('data_id', { length: 256 }).notNull(),
    groupId: varchar('group_id', { length: 128 }).notNull(),
    tenantId: varchar('tenant_id', { length: 128 }).notNull(),
    appName: varchar('app_name', { length: 128 }).notNull().default(''),
    content: text('content').notNull(),
    md5: varchar('md5', { length: 32 }).notNull(),
    opType: varchar('op_type', { length: 10 }).notNull(),
    publishType: varchar('publish_type', { length: 50 }).notNull().default('formal'),
    grayName: varchar('gray_name', { length: 128 }).notNull().default(''),
    extInfo: text('ext_info').notNull().default('{}'),
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
export const configChange = pgTable(
  'config_change',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
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
