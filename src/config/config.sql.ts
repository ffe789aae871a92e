import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

/** Formal config versions — Nacos's `config_info` (times are epoch ms; tags inline instead of config_tags_relation). */
export const configInfo = sqliteTable(
  'config_info',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dataId: text('data_id').notNull(),
    groupId: text('group_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    content: text('content').notNull(),
    md5: text('md5').notNull(),
    appName: text('app_name').notNull().default(''),
    type: text('type').notNull().default('text'),
    desc: text('c_desc').notNull().default(''),
    use: text('c_use').notNull().default(''),
    effect: text('effect').notNull().default(''),
    schema: text('c_schema').notNull().default(''),
    configTags: text('config_tags').notNull().default(''),
    encryptedDataKey: text('encrypted_data_key').notNull().default(''),
    srcUser: text('src_user').notNull().default(''),
    srcIp: text('src_ip').notNull().default(''),
    gmtCreate: integer('gmt_create').notNull(),
    gmtModified: integer('gmt_modified').notNull(),
  },
  (t) => [uniqueIndex('uk_configinfo_datagrouptenant').on(t.dataId, t.groupId, t.tenantId), index('idx_configinfo_tenant').on(t.tenantId)],
)

/** Gray versions (beta by client IP, tag) — Nacos 2.5's `config_info_gray`; `gray_rule` is JSON. */
export const configInfoGray = sqliteTable(
  'config_info_gray',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    dataId: text('data_id').notNull(),
    groupId: text('group_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    grayName: text('gray_name').notNull(),
    grayRule: text('gray_rule').notNull(),
    content: text('content').notNull(),
    md5: text('md5').notNull(),
    appName: text('app_name').notNull().default(''),
    encryptedDataKey: text('encrypted_data_key').notNull().default(''),
    srcUser: text('src_user').notNull().default(''),
    srcIp: text('src_ip').notNull().default(''),
    gmtCreate: integer('gmt_create').notNull(),
    gmtModified: integer('gmt_modified').notNull(),
  },
  (t) => [uniqueIndex('uk_configinfogray_datagrouptenantgray').on(t.dataId, t.groupId, t.tenantId, t.grayName)],
)

/**
 * Change history — Nacos's `his_config_info`. As in Nacos, an `I` row holds the inserted content while `U` and `D`
 * rows hold the content *before* the update or delete, so the current version lives only in config_info.
 */
export const hisConfigInfo = sqliteTable(
  'his_config_info',
  {
    nid: integer('nid').primaryKey({ autoIncrement: true }),
    id: integer('id').notNull(),
    dataId: text('data_id').notNull(),
    groupId: text('group_id').notNull(),
    tenantId: text('tenant_id').notNull(),
    appName: text('app_name').notNull().default(''),
    content: text('content').notNull(),
    md5: text('md5').notNull(),
    opType: text('op_type').notNull(),
    publishType: text('publish_type').notNull().default('formal'),
    grayName: text('gray_name').notNull().default(''),
    extInfo: text('ext_info').notNull().default('{}'),
    encryptedDataKey: text('encrypted_data_key').notNull().default(''),
    srcUser: text('src_user').notNull().default(''),
    srcIp: text('src_ip').notNull().default(''),
    gmtCreate: integer('gmt_create').notNull(),
    gmtModified: integer('gmt_modified').notNull(),
  },
  (t) => [index('idx_his_did').on(t.dataId, t.groupId, t.tenantId), index('idx_his_gmt_modified').on(t.gmtModified)],
)
