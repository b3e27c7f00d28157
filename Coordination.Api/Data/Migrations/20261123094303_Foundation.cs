using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Foundation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "geo_imports",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kind = table.Column<string>(type: "text", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    sha256 = table.Column<string>(type: "text", nullable: false),
                    imported_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    features = table.Column<int>(type: "integer", nullable: false),
                    inserted = table.Column<int>(type: "integer", nullable: false),
                    updated = table.Column<int>(type: "integer", nullable: false),
                    unchanged = table.Column<int>(type: "integer", nullable: false),
                    repaired = table.Column<string[]>(type: "text[]", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_geo_imports", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "provinces",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: true),
                    population = table.Column<long>(type: "bigint", nullable: true),
                    area_km2 = table.Column<double>(type: "double precision", nullable: true),
                    merged_from = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_provinces", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "communes",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: true),
                    kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    province_code = table.Column<string>(type: "character varying(3)", nullable: false),
                    population = table.Column<int>(type: "integer", nullable: true),
                    population_uncertain = table.Column<bool>(type: "boolean", nullable: false),
                    area_km2 = table.Column<double>(type: "double precision", nullable: true),
                    merged_from = table.Column<string>(type: "text", nullable: true),
                    former_names = table.Column<string[]>(type: "text[]", nullable: false),
                    admin_center = table.Column<string>(type: "text", nullable: true),
                    search_key = table.Column<string>(type: "text", nullable: false),
                    former_keys = table.Column<string[]>(type: "text[]", nullable: false),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4326)", nullable: false),
                    label_point = table.Column<Point>(type: "geometry(Point,4326)", nullable: true, computedColumnSql: "ST_PointOnSurface(geom)", stored: true),
                    source_hash = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    geom_m = table.Column<Geometry>(type: "geometry(MultiPolygon,32648)", nullable: true, computedColumnSql: "ST_Transform(geom, 32648)", stored: true),
                    geom_web = table.Column<Geometry>(type: "geometry(MultiPolygon,3857)", nullable: true, computedColumnSql: "ST_Transform(geom, 3857)", stored: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_communes", x => x.code);
                    table.CheckConstraint("ck_communes_kind", "kind IN ('xã','phường','đặc khu')");
                    table.ForeignKey(
                        name: "fk_communes_provinces_province_code",
                        column: x => x.province_code,
                        principalTable: "provinces",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "defense_areas",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: false),
                    province_code = table.Column<string>(type: "character varying(3)", nullable: false),
                    is_sample = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_defense_areas", x => x.id);
                    table.ForeignKey(
                        name: "fk_defense_areas_provinces_province_code",
                        column: x => x.province_code,
                        principalTable: "provinces",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "adjacency",
                columns: table => new
                {
                    code_a = table.Column<string>(type: "character varying(10)", nullable: false),
                    code_b = table.Column<string>(type: "character varying(10)", nullable: false),
                    shared_m = table.Column<double>(type: "double precision", nullable: false),
                    contact = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_adjacency", x => new { x.code_a, x.code_b });
                    table.CheckConstraint("ck_adjacency_order", "code_a < code_b");
                    table.ForeignKey(
                        name: "fk_adjacency_communes_code_a",
                        column: x => x.code_a,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_adjacency_communes_code_b",
                        column: x => x.code_b,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "defense_area_communes",
                columns: table => new
                {
                    defense_area_id = table.Column<int>(type: "integer", nullable: false),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_defense_area_communes", x => new { x.defense_area_id, x.commune_code });
                    table.ForeignKey(
                        name: "fk_defense_area_communes_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_defense_area_communes_defense_areas_defense_area_id",
                        column: x => x.defense_area_id,
                        principalTable: "defense_areas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_adjacency_code_b",
                table: "adjacency",
                column: "code_b");

            migrationBuilder.CreateIndex(
                name: "ix_communes_geom",
                table: "communes",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_communes_geom_m",
                table: "communes",
                column: "geom_m")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_communes_geom_web",
                table: "communes",
                column: "geom_web")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_communes_province_code",
                table: "communes",
                column: "province_code");

            migrationBuilder.CreateIndex(
                name: "ix_communes_search_key",
                table: "communes",
                column: "search_key")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_defense_area_communes_commune_code",
                table: "defense_area_communes",
                column: "commune_code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_defense_areas_province_code_name",
                table: "defense_areas",
                columns: new[] { "province_code", "name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "adjacency");

            migrationBuilder.DropTable(
                name: "defense_area_communes");

            migrationBuilder.DropTable(
                name: "geo_imports");

            migrationBuilder.DropTable(
                name: "communes");

            migrationBuilder.DropTable(
                name: "defense_areas");

            migrationBuilder.DropTable(
                name: "provinces");
        }
    }
}
