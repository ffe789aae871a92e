CREATE TABLE `audit_log` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`at` bigint NOT NULL,
	`actor` varchar(128) NOT NULL,
	`ip` varchar(64) NOT NULL,
	`action` varchar(128) NOT NULL,
	`resource` varchar(1024) NOT NULL,
	`detail` longtext NOT NULL,
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `permissions` (
	`role` varchar(128) NOT NULL,
	`resource` varchar(512) NOT NULL,
	`action` varchar(8) NOT NULL,
	CONSTRAINT `uk_role_permission` UNIQUE(`role`,`resource`,`action`)
);
--> statement-breakpoint
CREATE TABLE `roles` (
	`username` varchar(128) NOT NULL,
	`role` varchar(128) NOT NULL,
	CONSTRAINT `idx_user_role` UNIQUE(`username`,`role`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`username` varchar(128) NOT NULL,
	`password` varchar(512) NOT NULL,
	`enabled` boolean NOT NULL DEFAULT true,
	CONSTRAINT `users_username` PRIMARY KEY(`username`)
);
--> statement-breakpoint
CREATE TABLE `config_change` (
	`seq` bigint AUTO_INCREMENT NOT NULL,
	`data_id` varchar(256) NOT NULL,
	`group_id` varchar(128) NOT NULL,
	`tenant_id` varchar(128) NOT NULL,
	`gray_name` varchar(128) NOT NULL DEFAULT '',
	`op` varchar(1) NOT NULL,
	`md5` varchar(32) NOT NULL DEFAULT '',
	`at` bigint NOT NULL,
	CONSTRAINT `config_change_seq` PRIMARY KEY(`seq`)
);
--> statement-breakpoint
CREATE TABLE `config_info` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`data_id` varchar(256) NOT NULL,
	`group_id` varchar(128) NOT NULL,
	`tenant_id` varchar(128) NOT NULL,
	`content` longtext NOT NULL,
	`md5` varchar(32) NOT NULL,
	`app_name` varchar(128) NOT NULL DEFAULT '',
	`type` varchar(64) NOT NULL DEFAULT 'text',
	`c_desc` varchar(1024) NOT NULL DEFAULT '',
	`c_use` varchar(64) NOT NULL DEFAULT '',
	`effect` varchar(64) NOT NULL DEFAULT '',
	`c_schema` longtext NOT NULL DEFAULT (''),
	`config_tags` varchar(1024) NOT NULL DEFAULT '',
	`encrypted_data_key` varchar(1024) NOT NULL DEFAULT '',
	`src_user` varchar(255) NOT NULL DEFAULT '',
	`src_ip` varchar(64) NOT NULL DEFAULT '',
	`gmt_create` bigint NOT NULL,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `config_info_id` PRIMARY KEY(`id`),
	CONSTRAINT `uk_configinfo_datagrouptenant` UNIQUE(`data_id`,`group_id`,`tenant_id`)
);
--> statement-breakpoint
CREATE TABLE `config_info_gray` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`data_id` varchar(256) NOT NULL,
	`group_id` varchar(128) NOT NULL,
	`tenant_id` varchar(128) NOT NULL,
	`gray_name` varchar(128) NOT NULL,
	`gray_rule` longtext NOT NULL,
	`content` longtext NOT NULL,
	`md5` varchar(32) NOT NULL,
	`app_name` varchar(128) NOT NULL DEFAULT '',
	`encrypted_data_key` varchar(1024) NOT NULL DEFAULT '',
	`src_user` varchar(255) NOT NULL DEFAULT '',
	`src_ip` varchar(64) NOT NULL DEFAULT '',
	`gmt_create` bigint NOT NULL,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `config_info_gray_id` PRIMARY KEY(`id`),
	CONSTRAINT `uk_configinfogray_datagrouptenantgray` UNIQUE(`data_id`,`group_id`,`tenant_id`,`gray_name`)
);
--> statement-breakpoint
CREATE TABLE `his_config_info` (
	`nid` bigint AUTO_INCREMENT NOT NULL,
	`id` bigint NOT NULL,
	`data_id` varchar(256) NOT NULL,
	`group_id` varchar(128) NOT NULL,
	`tenant_id` varchar(128) NOT NULL,
	`app_name` varchar(128) NOT NULL DEFAULT '',
	`content` longtext NOT NULL,
	`md5` varchar(32) NOT NULL,
	`op_type` varchar(10) NOT NULL,
	`publish_type` varchar(50) NOT NULL DEFAULT 'formal',
	`gray_name` varchar(128) NOT NULL DEFAULT '',
	`ext_info` longtext NOT NULL DEFAULT ('{}'),
	`encrypted_data_key` varchar(1024) NOT NULL DEFAULT '',
	`src_user` varchar(255) NOT NULL DEFAULT '',
	`src_ip` varchar(64) NOT NULL DEFAULT '',
	`gmt_create` bigint NOT NULL,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `his_config_info_nid` PRIMARY KEY(`nid`)
);
--> statement-breakpoint
CREATE TABLE `tenant_info` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`kp` varchar(128) NOT NULL DEFAULT '1',
	`tenant_id` varchar(128) NOT NULL,
	`tenant_name` varchar(128) NOT NULL DEFAULT '',
	`tenant_desc` varchar(256) NOT NULL DEFAULT '',
	`create_source` varchar(32) NOT NULL DEFAULT '',
	`gmt_create` bigint NOT NULL,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `tenant_info_id` PRIMARY KEY(`id`),
	CONSTRAINT `uk_tenant_info_kptenantid` UNIQUE(`tenant_id`)
);
--> statement-breakpoint
CREATE TABLE `instance_overrides` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`namespace_id` varchar(128) NOT NULL,
	`group_name` varchar(128) NOT NULL,
	`service_name` varchar(255) NOT NULL,
	`override_id` varchar(255) NOT NULL,
	`weight` double,
	`enabled` boolean,
	`metadata` longtext,
	`missing_since` bigint,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `instance_overrides_id` PRIMARY KEY(`id`),
	CONSTRAINT `uk_instance_overrides` UNIQUE(`namespace_id`,`group_name`,`service_name`,`override_id`)
);
--> statement-breakpoint
CREATE TABLE `persistent_instance` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`namespace_id` varchar(128) NOT NULL,
	`group_name` varchar(128) NOT NULL,
	`service_name` varchar(255) NOT NULL,
	`instance_id` varchar(255) NOT NULL,
	`ip` varchar(64) NOT NULL,
	`port` int NOT NULL,
	`cluster_name` varchar(128) NOT NULL,
	`weight` double NOT NULL DEFAULT 1,
	`healthy` boolean NOT NULL DEFAULT true,
	`enabled` boolean NOT NULL DEFAULT true,
	`metadata` longtext NOT NULL DEFAULT ('{}'),
	`gmt_create` bigint NOT NULL,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `persistent_instance_id` PRIMARY KEY(`id`),
	CONSTRAINT `uk_persistent_instance` UNIQUE(`namespace_id`,`group_name`,`service_name`,`ip`,`port`,`cluster_name`)
);
--> statement-breakpoint
CREATE TABLE `service_info` (
	`id` bigint AUTO_INCREMENT NOT NULL,
	`namespace_id` varchar(128) NOT NULL,
	`group_name` varchar(128) NOT NULL,
	`service_name` varchar(255) NOT NULL,
	`protect_threshold` double NOT NULL DEFAULT 0,
	`metadata` longtext NOT NULL DEFAULT ('{}'),
	`selector` longtext NOT NULL DEFAULT ('{"type":"none"}'),
	`clusters` longtext NOT NULL DEFAULT ('{}'),
	`gmt_create` bigint NOT NULL,
	`gmt_modified` bigint NOT NULL,
	CONSTRAINT `service_info_id` PRIMARY KEY(`id`),
	CONSTRAINT `uk_service_info` UNIQUE(`namespace_id`,`group_name`,`service_name`)
);
--> statement-breakpoint
CREATE INDEX `idx_audit_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `idx_audit_actor` ON `audit_log` (`actor`);--> statement-breakpoint
CREATE INDEX `idx_config_change_at` ON `config_change` (`at`);--> statement-breakpoint
CREATE INDEX `idx_configinfo_tenant` ON `config_info` (`tenant_id`);--> statement-breakpoint
CREATE INDEX `idx_his_did` ON `his_config_info` (`data_id`,`group_id`,`tenant_id`);--> statement-breakpoint
CREATE INDEX `idx_his_gmt_modified` ON `his_config_info` (`gmt_modified`);