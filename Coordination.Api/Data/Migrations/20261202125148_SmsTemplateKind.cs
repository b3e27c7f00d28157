using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SmsTemplateKind : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "sms_templates",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "warning");

            migrationBuilder.AddCheckConstraint(
                name: "ck_sms_templates_kind",
                table: "sms_templates",
                sql: "kind IN ('warning','cancel')");

            // Every existing template warns, except the demo cancellation, which also loses the {instruction} that let
            // a cancel repeat the warning's "evacuate" (a real deployment marks its own cancellation templates itself).
            migrationBuilder.Sql("""
                UPDATE sms_templates SET kind = 'cancel', updated_at = now(),
                    name = CASE WHEN name = 'Huỷ cảnh báo' THEN 'Hủy cảnh báo (hết hiệu lực)' ELSE name END,
                    text = CASE WHEN text = '[PCTT] Huỷ cảnh báo {event} tại {communes}. {instruction}'
                                THEN '[PCTT] Hủy cảnh báo {event} tại {communes}: cảnh báo trước đó không còn hiệu lực từ {time}.' ELSE text END
                WHERE registration_ref = 'DEMO-TPL-03' AND created_by = 'demo';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_sms_templates_kind",
                table: "sms_templates");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "sms_templates");
        }
    }
}
