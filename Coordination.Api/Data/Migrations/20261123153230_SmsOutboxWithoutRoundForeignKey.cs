using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SmsOutboxWithoutRoundForeignKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_sms_messages_alert_rounds_round_id",
                table: "sms_messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddForeignKey(
                name: "fk_sms_messages_alert_rounds_round_id",
                table: "sms_messages",
                column: "round_id",
                principalTable: "alert_rounds",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
