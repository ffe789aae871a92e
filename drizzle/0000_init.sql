CREATE TABLE `config_info` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`data_id` text NOT NULL,
	`group_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`content` text NOT NULL,
	`md5` text NOT NULL,
	`app_name` text DEFAULT '' NOT NULL,
	`type` text DEFAULT 'text' NOT NULL,
	`c_desc` text DEFAULT '' NOT NULL,
	`c_use` text DEFAULT '' NOT NULL,
	`effect` text DEFAULT '' NOT NULL,
	`c_schema` text DEFAULT '' NOT NULL,
	`config_tags` text DEFAULT '' NOT NULL,
	`encrypted_data_key` text DEFAULT '' NOT NULL,
	`src_user` text DEFAULT '' NOT NULL,
	`src_ip` text DEFAULT '' NOT NULL,
	`gmt_create` integer NOT NULL,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_configinfo_datagrouptenant` ON `config_info` (`data_id`,`group_id`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `idx_configinfo_tenant` ON `config_info` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `config_info_gray` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`data_id` text NOT NULL,
	`group_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`gray_name` text NOT NULL,
	`gray_rule` text NOT NULL,
	`content` text NOT NULL,
	`md5` text NOT NULL,
	`app_name` text DEFAULT '' NOT NULL,
	`encrypted_data_key` text DEFAULT '' NOT NULL,
	`src_user` text DEFAULT '' NOT NULL,
	`src_ip` text DEFAULT '' NOT NULL,
	`gmt_create` integer NOT NULL,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_configinfogray_datagrouptenantgray` ON `config_info_gray` (`data_id`,`group_id`,`tenant_id`,`gray_name`);--> statement-breakpoint
CREATE TABLE `his_config_info` (
	`nid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` integer NOT NULL,
	`data_id` text NOT NULL,
	`group_id` text NOT NULL,
	`tenant_id` text NOT NULL,
	`app_name` text DEFAULT '' NOT NULL,
	`content` text NOT NULL,
	`md5` text NOT NULL,
	`op_type` text NOT NULL,
	`publish_type` text DEFAULT 'formal' NOT NULL,
	`gray_name` text DEFAULT '' NOT NULL,
	`ext_info` text DEFAULT '{}' NOT NULL,
	`encrypted_data_key` text DEFAULT '' NOT NULL,
	`src_user` text DEFAULT '' NOT NULL,
	`src_ip` text DEFAULT '' NOT NULL,
	`gmt_create` integer NOT NULL,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idx_his_did` ON `his_config_info` (`data_id`,`group_id`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `idx_his_gmt_modified` ON `his_config_info` (`gmt_modified`);--> statement-breakpoint
CREATE TABLE `tenant_info` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kp` text DEFAULT '1' NOT NULL,
	`tenant_id` text NOT NULL,
	`tenant_name` text DEFAULT '' NOT NULL,
	`tenant_desc` text DEFAULT '' NOT NULL,
	`create_source` text DEFAULT '' NOT NULL,
	`gmt_create` integer NOT NULL,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_tenant_info_kptenantid` ON `tenant_info` (`tenant_id`);