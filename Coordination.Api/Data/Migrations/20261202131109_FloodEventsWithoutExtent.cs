using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class FloodEventsWithoutExtent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A flood declared for whole communes has no extent (the covered communes are its declaration).
            migrationBuilder.AlterColumn<MultiPolygon>(
                name: "geom",
                table: "flood_events",
                type: "geometry(MultiPolygon,4326)",
                nullable: true,
                oldClrType: typeof(MultiPolygon),
                oldType: "geometry(MultiPolygon,4326)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Events declared for communes have no extent to keep.
            migrationBuilder.Sql("DELETE FROM flood_events WHERE geom IS NULL;");
            migrationBuilder.AlterColumn<MultiPolygon>(
                name: "geom",
                table: "flood_events",
                type: "geometry(MultiPolygon,4326)",
                nullable: false,
                oldClrType: typeof(MultiPolygon),
                oldType: "geometry(MultiPolygon,4326)",
                oldNullable: true);
        }
    }
}
