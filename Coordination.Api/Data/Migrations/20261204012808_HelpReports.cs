using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class HelpReports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "help_reports",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false),
                    hamlet_id = table.Column<int>(type: "integer", nullable: true),
                    place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    people = table.Column<int>(type: "integer", nullable: true),
                    what = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: true),
                    raw_text = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    plain = table.Column<bool>(type: "boolean", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    duplicate_of = table.Column<int>(type: "integer", nullable: true),
                    aid_request_id = table.Column<int>(type: "integer", nullable: true),
                    note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    handled_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    handled_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    channel = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    external_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_help_reports", x => x.id);
                    table.CheckConstraint("ck_help_reports_outcome", "(status <> 'duplicate' OR duplicate_of IS NOT NULL) AND (status <> 'converted' OR aid_request_id IS NOT NULL) AND (status = 'open' OR handled_at IS NOT NULL)");
                    table.CheckConstraint("ck_help_reports_people", "people IS NULL OR people > 0");
                    table.CheckConstraint("ck_help_reports_phone", "phone ~ '^\\+[1-9][0-9]{6,14}$'");
                    table.CheckConstraint("ck_help_reports_status", "status IN ('open','handled','duplicate','converted')");
                    table.ForeignKey(
                        name: "fk_help_reports_aid_requests_aid_request_id",
                        column: x => x.aid_request_id,
                        principalTable: "aid_requests",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_help_reports_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_help_reports_hamlets_hamlet_id",
                        column: x => x.hamlet_id,
                        principalTable: "hamlets",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_help_reports_help_reports_duplicate_of",
                        column: x => x.duplicate_of,
                        principalTable: "help_reports",
                        principalColumn: "id");
                });

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_aid_request_id",
                table: "help_reports",
                column: "aid_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_channel_external_id",
                table: "help_reports",
                columns: new[] { "channel", "external_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_commune_code_status_created_at",
                table: "help_reports",
                columns: new[] { "commune_code", "status", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_duplicate_of",
                table: "help_reports",
                column: "duplicate_of");

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_hamlet_id",
                table: "help_reports",
                column: "hamlet_id");

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_open_by_commune",
                table: "help_reports",
                columns: new[] { "commune_code", "created_at" },
                filter: "status = 'open'");

            migrationBuilder.CreateIndex(
                name: "ix_help_reports_phone_created_at",
                table: "help_reports",
                columns: new[] { "phone", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "help_reports");
        }
    }
}
