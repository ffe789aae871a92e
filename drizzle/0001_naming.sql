CREATE TABLE `persistent_instance` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`namespace_id` text NOT NULL,
	`group_name` text NOT NULL,
	`service_name` text NOT NULL,
	`instance_id` text NOT NULL,
	`ip` text NOT NULL,
	`port` integer NOT NULL,
	`cluster_name` text NOT NULL,
	`weight` real DEFAULT 1 NOT NULL,
	`healthy` integer DEFAULT true NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`gmt_create` integer NOT NULL,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_persistent_instance` ON `persistent_instance` (`namespace_id`,`group_name`,`service_name`,`ip`,`port`,`cluster_name`);--> statement-breakpoint
CREATE TABLE `service_info` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`namespace_id` text NOT NULL,
	`group_name` text NOT NULL,
	`service_name` text NOT NULL,
	`protect_threshold` real DEFAULT 0 NOT NULL,
	`metadata` text DEFAULT '{}' NOT NULL,
	`selector` text DEFAULT '{"type":"none"}' NOT NULL,
	`clusters` text DEFAULT '{}' NOT NULL,
	`gmt_create` integer NOT NULL,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_service_info` ON `service_info` (`namespace_id`,`group_name`,`service_name`);