CREATE TABLE `instance_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`namespace_id` text NOT NULL,
	`group_name` text NOT NULL,
	`service_name` text NOT NULL,
	`override_id` text NOT NULL,
	`weight` real,
	`enabled` integer,
	`metadata` text,
	`missing_since` integer,
	`gmt_modified` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_instance_overrides` ON `instance_overrides` (`namespace_id`,`group_name`,`service_name`,`override_id`);