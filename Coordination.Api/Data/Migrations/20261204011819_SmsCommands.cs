using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SmsCommands : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "duty_mobile",
                table: "commune_contacts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "sms_notify",
                table: "AspNetUsers",
                type: "text[]",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "notification_sms_budgets",
                columns: table => new
                {
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    window_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    sent = table.Column<int>(type: "integer", nullable: false),
                    held = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_sms_budgets", x => x.phone);
                });

            migrationBuilder.CreateTable(
                name: "notification_sms_cursors",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    last_notification_id = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_sms_cursors", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sms_confirmations",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    code = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    command = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sms_confirmations", x => x.id);
                });

            // The relay starts after the notifications that exist already: an upgrade must not text the history.
            migrationBuilder.Sql("INSERT INTO notification_sms_cursors (id, last_notification_id, updated_at) SELECT 1, coalesce(max(id), 0), now() FROM notifications");
            // Duty phones saved before: Vietnamese mobiles (0xx xxx xxxx or 84…) to E.164; the API normalises every new one with libphonenumber.
            migrationBuilder.Sql("""
                UPDATE commune_contacts SET duty_mobile = '+84' || right(regexp_replace(duty_phone, '\D', '', 'g'), 9)
                WHERE regexp_replace(duty_phone, '\D', '', 'g') ~ '^(0|84)[35789][0-9]{8}$'
                """);

            migrationBuilder.CreateIndex(
                name: "ix_commune_contacts_duty_mobile",
                table: "commune_contacts",
                column: "duty_mobile",
                filter: "duty_mobile IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_asp_net_users_phone_number",
                table: "AspNetUsers",
                column: "phone_number",
                unique: true,
                filter: "phone_number IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_notification_sms_budgets_window_start",
                table: "notification_sms_budgets",
                column: "window_start",
                filter: "held > 0");

            migrationBuilder.CreateIndex(
                name: "ix_sms_confirmations_phone_code",
                table: "sms_confirmations",
                columns: new[] { "phone", "code" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_sms_budgets");

            migrationBuilder.DropTable(
                name: "notification_sms_cursors");

            migrationBuilder.DropTable(
                name: "sms_confirmations");

            migrationBuilder.DropIndex(
                name: "ix_commune_contacts_duty_mobile",
                table: "commune_contacts");

            migrationBuilder.DropIndex(
                name: "ix_asp_net_users_phone_number",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "duty_mobile",
                table: "commune_contacts");

            migrationBuilder.DropColumn(
                name: "sms_notify",
                table: "AspNetUsers");
        }
    }
}
