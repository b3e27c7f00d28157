using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Hamlets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "hamlet_id",
                table: "aid_requests",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "hamlets",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    search_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    households = table.Column<int>(type: "integer", nullable: true),
                    population = table.Column<int>(type: "integer", nullable: true),
                    flood_prone = table.Column<bool>(type: "boolean", nullable: false),
                    is_sample = table.Column<bool>(type: "boolean", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "text", nullable: true),
                    location_m = table.Column<Geometry>(type: "geometry(Point,32648)", nullable: true, computedColumnSql: "ST_Transform(location, 32648)", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hamlets", x => x.id);
                    table.CheckConstraint("ck_hamlets_counts", "(households IS NULL OR households >= 0) AND (population IS NULL OR population >= 0)");
                    table.ForeignKey(
                        name: "fk_hamlets_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_aid_requests_hamlet_id",
                table: "aid_requests",
                column: "hamlet_id");

            migrationBuilder.CreateIndex(
                name: "ix_hamlets_commune_code_search_key",
                table: "hamlets",
                columns: new[] { "commune_code", "search_key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hamlets_location",
                table: "hamlets",
                column: "location")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_hamlets_search_key",
                table: "hamlets",
                column: "search_key")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.AddForeignKey(
                name: "fk_aid_requests_hamlets_hamlet_id",
                table: "aid_requests",
                column: "hamlet_id",
                principalTable: "hamlets",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_aid_requests_hamlets_hamlet_id",
                table: "aid_requests");

            migrationBuilder.DropTable(
                name: "hamlets");

            migrationBuilder.DropIndex(
                name: "ix_aid_requests_hamlet_id",
                table: "aid_requests");

            migrationBuilder.DropColumn(
                name: "hamlet_id",
                table: "aid_requests");
        }
    }
}
