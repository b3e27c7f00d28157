using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class OfficesAndHazards : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "flood_events",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    source = table.Column<string>(type: "text", nullable: true),
                    note = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    declared_by = table.Column<string>(type: "text", nullable: true),
                    closed_by = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    geom_m = table.Column<Geometry>(type: "geometry(MultiPolygon,32648)", nullable: true, computedColumnSql: "ST_Transform(geom, 32648)", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_flood_events", x => x.id);
                    table.CheckConstraint("ck_flood_events_dates", "ended_at IS NULL OR ended_at >= started_at");
                });

            migrationBuilder.CreateTable(
                name: "hazard_layers",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    source = table.Column<string>(type: "text", nullable: true),
                    is_sample = table.Column<bool>(type: "boolean", nullable: false),
                    sha256 = table.Column<string>(type: "text", nullable: false),
                    imported_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    imported_by = table.Column<string>(type: "text", nullable: true),
                    province_code = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hazard_layers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "offices",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    address = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    accuracy = table.Column<string>(type: "character varying(25)", maxLength: 25, nullable: false),
                    @ref = table.Column<string>(name: "ref", type: "character varying(60)", maxLength: 60, nullable: true),
                    fallback_office_id = table.Column<int>(type: "integer", nullable: true),
                    is_shelter = table.Column<bool>(type: "boolean", nullable: false),
                    shelter_capacity = table.Column<int>(type: "integer", nullable: true),
                    shelter_occupancy = table.Column<int>(type: "integer", nullable: true),
                    occupancy_updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    warning = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "text", nullable: true),
                    location_m = table.Column<Geometry>(type: "geometry(Point,32648)", nullable: true, computedColumnSql: "ST_Transform(location, 32648)", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_offices", x => x.id);
                    table.CheckConstraint("ck_offices_accuracy", "accuracy IN ('surveyed','approximate','representative_point')");
                    table.CheckConstraint("ck_offices_fallback", "fallback_office_id IS NULL OR fallback_office_id <> id");
                    table.CheckConstraint("ck_offices_kind", "kind IN ('people_committee','service_centre','school','clinic','cultural_house','other')");
                    table.CheckConstraint("ck_offices_shelter", "(shelter_capacity IS NULL OR shelter_capacity >= 0) AND (shelter_occupancy IS NULL OR shelter_occupancy >= 0)");
                    table.ForeignKey(
                        name: "fk_offices_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_offices_offices_fallback_office_id",
                        column: x => x.fallback_office_id,
                        principalTable: "offices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "hazard_zones",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    layer_id = table.Column<int>(type: "integer", nullable: false),
                    hazard = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "text", nullable: true),
                    depth_class = table.Column<string>(type: "text", nullable: true),
                    return_period_years = table.Column<int>(type: "integer", nullable: true),
                    source = table.Column<string>(type: "text", nullable: true),
                    source_date = table.Column<DateOnly>(type: "date", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    geom_m = table.Column<Geometry>(type: "geometry(MultiPolygon,32648)", nullable: true, computedColumnSql: "ST_Transform(geom, 32648)", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_hazard_zones", x => x.id);
                    table.CheckConstraint("ck_hazard_zones_hazard", "hazard IN ('flood','flash_flood','landslide')");
                    table.ForeignKey(
                        name: "fk_hazard_zones_hazard_layers_layer_id",
                        column: x => x.layer_id,
                        principalTable: "hazard_layers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "office_exposures",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    office_id = table.Column<int>(type: "integer", nullable: false),
                    hazard = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    hazard_zone_id = table.Column<int>(type: "integer", nullable: true),
                    flood_event_id = table.Column<int>(type: "integer", nullable: true),
                    distance_m = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_office_exposures", x => x.id);
                    table.ForeignKey(
                        name: "fk_office_exposures_flood_events_flood_event_id",
                        column: x => x.flood_event_id,
                        principalTable: "flood_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_office_exposures_hazard_zones_hazard_zone_id",
                        column: x => x.hazard_zone_id,
                        principalTable: "hazard_zones",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_office_exposures_offices_office_id",
                        column: x => x.office_id,
                        principalTable: "offices",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_flood_events_geom",
                table: "flood_events",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_flood_events_geom_m",
                table: "flood_events",
                column: "geom_m")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_hazard_layers_name",
                table: "hazard_layers",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_hazard_zones_geom",
                table: "hazard_zones",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_hazard_zones_geom_m",
                table: "hazard_zones",
                column: "geom_m")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_hazard_zones_layer_id",
                table: "hazard_zones",
                column: "layer_id");

            migrationBuilder.CreateIndex(
                name: "ix_office_exposures_flood_event_id",
                table: "office_exposures",
                column: "flood_event_id");

            migrationBuilder.CreateIndex(
                name: "ix_office_exposures_hazard_zone_id",
                table: "office_exposures",
                column: "hazard_zone_id");

            migrationBuilder.CreateIndex(
                name: "ix_office_exposures_office_id",
                table: "office_exposures",
                column: "office_id");

            migrationBuilder.CreateIndex(
                name: "ix_offices_commune_code",
                table: "offices",
                column: "commune_code");

            migrationBuilder.CreateIndex(
                name: "ix_offices_commune_code_ref",
                table: "offices",
                columns: new[] { "commune_code", "ref" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_offices_fallback_office_id",
                table: "offices",
                column: "fallback_office_id");

            migrationBuilder.CreateIndex(
                name: "ix_offices_location_m",
                table: "offices",
                column: "location_m")
                .Annotation("Npgsql:IndexMethod", "gist");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "office_exposures");

            migrationBuilder.DropTable(
                name: "flood_events");

            migrationBuilder.DropTable(
                name: "hazard_zones");

            migrationBuilder.DropTable(
                name: "offices");

            migrationBuilder.DropTable(
                name: "hazard_layers");
        }
    }
}
