CREATE TABLE `permissions` (
	`role` text NOT NULL,
	`resource` text NOT NULL,
	`action` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `uk_role_permission` ON `permissions` (`role`,`resource`,`action`);--> statement-breakpoint
CREATE TABLE `roles` (
	`username` text NOT NULL,
	`role` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `idx_user_role` ON `roles` (`username`,`role`);--> statement-breakpoint
CREATE TABLE `users` (
	`username` text PRIMARY KEY NOT NULL,
	`password` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL
);
