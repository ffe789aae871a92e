CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" bigint NOT NULL,
	"actor" varchar(128) NOT NULL,
	"ip" varchar(64) NOT NULL,
	"action" varchar(128) NOT NULL,
	"resource" varchar(1024) NOT NULL,
	"detail" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "permissions" (
	"role" varchar(128) NOT NULL,
	"resource" varchar(512) NOT NULL,
	"action" varchar(8) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"username" varchar(128) NOT NULL,
	"role" varchar(128) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"username" varchar(128) PRIMARY KEY NOT NULL,
	"password" varchar(512) NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "config_change" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"data_id" varchar(256) NOT NULL,
	"group_id" varchar(128) NOT NULL,
	"tenant_id" varchar(128) NOT NULL,
	"gray_name" varchar(128) DEFAULT '' NOT NULL,
	"op" varchar(1) NOT NULL,
	"md5" varchar(32) DEFAULT '' NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "config_info" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"data_id" varchar(256) NOT NULL,
	"group_id" varchar(128) NOT NULL,
	"tenant_id" varchar(128) NOT NULL,
	"content" text NOT NULL,
	"md5" varchar(32) NOT NULL,
	"app_name" varchar(128) DEFAULT '' NOT NULL,
	"type" varchar(64) DEFAULT 'text' NOT NULL,
	"c_desc" varchar(1024) DEFAULT '' NOT NULL,
	"c_use" varchar(64) DEFAULT '' NOT NULL,
	"effect" varchar(64) DEFAULT '' NOT NULL,
	"c_schema" text DEFAULT '' NOT NULL,
	"config_tags" varchar(1024) DEFAULT '' NOT NULL,
	"encrypted_data_key" varchar(1024) DEFAULT '' NOT NULL,
	"src_user" varchar(255) DEFAULT '' NOT NULL,
	"src_ip" varchar(64) DEFAULT '' NOT NULL,
	"gmt_create" bigint NOT NULL,
	"gmt_modified" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "config_info_gray" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"data_id" varchar(256) NOT NULL,
	"group_id" varchar(128) NOT NULL,
	"tenant_id" varchar(128) NOT NULL,
	"gray_name" varchar(128) NOT NULL,
	"gray_rule" text NOT NULL,
	"content" text NOT NULL,
	"md5" varchar(32) NOT NULL,
	"app_name" varchar(128) DEFAULT '' NOT NULL,
	"encrypted_data_key" varchar(1024) DEFAULT '' NOT NULL,
	"src_user" varchar(255) DEFAULT '' NOT NULL,
	"src_ip" varchar(64) DEFAULT '' NOT NULL,
	"gmt_create" bigint NOT NULL,
	"gmt_modified" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "his_config_info" (
	"nid" bigserial PRIMARY KEY NOT NULL,
	"id" bigint NOT NULL,
	"data_id" varchar(256) NOT NULL,
	"group_id" varchar(128) NOT NULL,
	"tenant_id" varchar(128) NOT NULL,
	"app_name" varchar(128) DEFAULT '' NOT NULL,
	"content" text NOT NULL,
	"md5" varchar(32) NOT NULL,
	"op_type" varchar(10) NOT NULL,
	"publish_type" varchar(50) DEFAULT 'formal' NOT NULL,
	"gray_name" varchar(128) DEFAULT '' NOT NULL,
	"ext_info" text DEFAULT '{}' NOT NULL,
	"encrypted_data_key" varchar(1024) DEFAULT '' NOT NULL,
	"src_user" varchar(255) DEFAULT '' NOT NULL,
	"src_ip" varchar(64) DEFAULT '' NOT NULL,
	"gmt_create" bigint NOT NULL,
	"gmt_modified" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_info" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kp" varchar(128) DEFAULT '1' NOT NULL,
	"tenant_id" varchar(128) NOT NULL,
	"tenant_name" varchar(128) DEFAULT '' NOT NULL,
	"tenant_desc" varchar(256) DEFAULT '' NOT NULL,
	"create_source" varchar(32) DEFAULT '' NOT NULL,
	"gmt_create" bigint NOT NULL,
	"gmt_modified" bigint NOT NULL,
	CONSTRAINT "uk_tenant_info_kptenantid" UNIQUE("tenant_id")
);
--> statement-breakpoint
CREATE TABLE "instance_overrides" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"namespace_id" varchar(128) NOT NULL,
	"group_name" varchar(128) NOT NULL,
	"service_name" varchar(255) NOT NULL,
	"override_id" varchar(255) NOT NULL,
	"weight" double precision,
	"enabled" boolean,
	"metadata" text,
	"missing_since" bigint,
	"gmt_modified" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persistent_instance" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"namespace_id" varchar(128) NOT NULL,
	"group_name" varchar(128) NOT NULL,
	"service_name" varchar(255) NOT NULL,
	"instance_id" varchar(255) NOT NULL,
	"ip" varchar(64) NOT NULL,
	"port" integer NOT NULL,
	"cluster_name" varchar(128) NOT NULL,
	"weight" double precision DEFAULT 1 NOT NULL,
	"healthy" boolean DEFAULT true NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"metadata" text DEFAULT '{}' NOT NULL,
	"gmt_create" bigint NOT NULL,
	"gmt_modified" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_info" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"namespace_id" varchar(128) NOT NULL,
	"group_name" varchar(128) NOT NULL,
	"service_name" varchar(255) NOT NULL,
	"protect_threshold" double precision DEFAULT 0 NOT NULL,
	"metadata" text DEFAULT '{}' NOT NULL,
	"selector" text DEFAULT '{"type":"none"}' NOT NULL,
	"clusters" text DEFAULT '{}' NOT NULL,
	"gmt_create" bigint NOT NULL,
	"gmt_modified" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "idx_audit_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "idx_audit_actor" ON "audit_log" USING btree ("actor");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_role_permission" ON "permissions" USING btree ("role","resource","action");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_user_role" ON "roles" USING btree ("username","role");--> statement-breakpoint
CREATE INDEX "idx_config_change_at" ON "config_change" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_configinfo_datagrouptenant" ON "config_info" USING btree ("data_id","group_id","tenant_id");--> statement-breakpoint
CREATE INDEX "idx_configinfo_tenant" ON "config_info" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_configinfogray_datagrouptenantgray" ON "config_info_gray" USING btree ("data_id","group_id","tenant_id","gray_name");--> statement-breakpoint
CREATE INDEX "idx_his_did" ON "his_config_info" USING btree ("data_id","group_id","tenant_id");--> statement-breakpoint
CREATE INDEX "idx_his_gmt_modified" ON "his_config_info" USING btree ("gmt_modified");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_instance_overrides" ON "instance_overrides" USING btree ("namespace_id","group_name","service_name","override_id");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_persistent_instance" ON "persistent_instance" USING btree ("namespace_id","group_name","service_name","ip","port","cluster_name");--> statement-breakpoint
CREATE UNIQUE INDEX "uk_service_info" ON "service_info" USING btree ("namespace_id","group_name","service_name");