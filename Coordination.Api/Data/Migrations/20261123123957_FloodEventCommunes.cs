using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class FloodEventCommunes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flood_event_communes",
                columns: table => new
                {
                    flood_event_id = table.Column<int>(type: "integer", nullable: false),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_flood_event_communes", x => new { x.commune_code, x.flood_event_id });
                    table.ForeignKey(
                        name: "fk_flood_event_communes_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_flood_event_communes_flood_events_flood_event_id",
                        column: x => x.flood_event_id,
                        principalTable: "flood_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_flood_event_communes_flood_event_id",
                table: "flood_event_communes",
                column: "flood_event_id");

            // Events recorded before this table existed get their communes now.
            migrationBuilder.Sql("""
                INSERT INTO flood_event_communes (flood_event_id, commune_code)
                SELECT e.id, c.code FROM flood_events e
                JOIN communes c ON ST_Intersects(c.geom_m, CASE WHEN ST_IsEmpty(ST_Buffer(e.geom_m, -50)) THEN e.geom_m ELSE ST_Buffer(e.geom_m, -50) END);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "flood_event_communes");
        }
    }
}
