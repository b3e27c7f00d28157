using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SmsGateways : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "provider",
                table: "sms_messages",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            // One pacing row per provider ("twilio", "gateway:NAME"), each its own schedule: a SIM's rate is not Twilio's.
            // Rows of new gateways are created on first use; Twilio keeps where its schedule was.
            migrationBuilder.Sql("""
                ALTER TABLE sms_pacing ADD COLUMN provider varchar(40);
                UPDATE sms_pacing SET provider = 'twilio';
                ALTER TABLE sms_pacing DROP CONSTRAINT sms_pacing_pkey, DROP CONSTRAINT IF EXISTS sms_pacing_id_check, DROP COLUMN id,
                    ALTER COLUMN provider SET NOT NULL, ADD PRIMARY KEY (provider);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DELETE FROM sms_pacing WHERE provider <> 'twilio';
                ALTER TABLE sms_pacing DROP CONSTRAINT sms_pacing_pkey, ADD COLUMN id int NOT NULL DEFAULT 1 CHECK (id = 1), DROP COLUMN provider;
                ALTER TABLE sms_pacing ALTER COLUMN id DROP DEFAULT, ADD PRIMARY KEY (id);
                """);
            migrationBuilder.DropColumn(
                name: "provider",
                table: "sms_messages");
        }
    }
}
