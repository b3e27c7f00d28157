using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class OutboxAnyText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "round_id",
                table: "sms_messages",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AlterColumn<int>(
                name: "alert_id",
                table: "sms_messages",
                type: "integer",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "integer");

            migrationBuilder.AddColumn<string>(
                name: "body",
                table: "sms_messages",
                type: "character varying(1600)",
                maxLength: 1600,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "sms_messages",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "alert");

            migrationBuilder.AlterColumn<string>(
                name: "channel",
                table: "inbound_sms",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(10)",
                oldMaxLength: 10);

            migrationBuilder.AddColumn<string>(
                name: "channel",
                table: "audit_events",
                type: "character varying(8)",
                maxLength: 8,
                nullable: false,
                defaultValue: "web");

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_messages_kind",
                table: "sms_messages",
                sql: "kind IN ('alert','reply','notification','help_report')");

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_messages_text",
                table: "sms_messages",
                sql: "(kind = 'alert') = (alert_id IS NOT NULL AND round_id IS NOT NULL) AND (kind = 'alert' OR body IS NOT NULL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_messages_kind",
                table: "sms_messages");

            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_messages_text",
                table: "sms_messages");

            migrationBuilder.DropColumn(
                name: "body",
                table: "sms_messages");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "sms_messages");

            migrationBuilder.DropColumn(
                name: "channel",
                table: "audit_events");

            migrationBuilder.AlterColumn<int>(
                name: "round_id",
                table: "sms_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<int>(
                name: "alert_id",
                table: "sms_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0,
                oldClrType: typeof(int),
                oldType: "integer",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "channel",
                table: "inbound_sms",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(40)",
                oldMaxLength: 40);
        }
    }
}
