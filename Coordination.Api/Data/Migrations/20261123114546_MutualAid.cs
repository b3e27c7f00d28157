using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class MutualAid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agreements",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    commune_a = table.Column<string>(type: "character varying(10)", nullable: false),
                    commune_b = table.Column<string>(type: "character varying(10)", nullable: false),
                    valid_from = table.Column<DateOnly>(type: "date", nullable: false),
                    valid_to = table.Column<DateOnly>(type: "date", nullable: true),
                    contact_a = table.Column<string>(type: "text", nullable: true),
                    contact_b = table.Column<string>(type: "text", nullable: true),
                    signed_a_by = table.Column<string>(type: "text", nullable: true),
                    signed_a_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    signed_b_by = table.Column<string>(type: "text", nullable: true),
                    signed_b_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreements", x => x.id);
                    table.CheckConstraint("ck_agreements_order", "commune_a < commune_b");
                    table.ForeignKey(
                        name: "fk_agreements_communes_commune_a",
                        column: x => x.commune_a,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agreements_communes_commune_b",
                        column: x => x.commune_b,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "aid_requests",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false),
                    location = table.Column<Point>(type: "geometry(Point,4326)", nullable: false),
                    hamlet = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    hazard = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    urgency = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    needed_by = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    possible_duplicate_of = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    opened_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_aid_requests", x => x.id);
                    table.CheckConstraint("ck_aid_requests_status", "status IN ('draft','open','closed','cancelled')");
                    table.CheckConstraint("ck_aid_requests_urgency", "urgency IN ('life_threatening','urgent','needed')");
                    table.ForeignKey(
                        name: "fk_aid_requests_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "resource_types",
                columns: table => new
                {
                    code = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    pillar = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    name_vi = table.Column<string>(type: "text", nullable: false),
                    name_en = table.Column<string>(type: "text", nullable: false),
                    unit_vi = table.Column<string>(type: "text", nullable: false),
                    unit_en = table.Column<string>(type: "text", nullable: false),
                    returnable = table.Column<bool>(type: "boolean", nullable: false),
                    persons = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_resource_types", x => x.code);
                    table.CheckConstraint("ck_resource_types_pillar", "pillar IN ('command','forces','means','logistics')");
                });

            migrationBuilder.CreateTable(
                name: "agreement_lines",
                columns: table => new
                {
                    agreement_id = table.Column<int>(type: "integer", nullable: false),
                    lender_code = table.Column<string>(type: "text", nullable: false),
                    resource_type = table.Column<string>(type: "character varying(40)", nullable: false),
                    max_quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_agreement_lines", x => new { x.agreement_id, x.lender_code, x.resource_type });
                    table.CheckConstraint("ck_agreement_lines_quantity", "max_quantity > 0");
                    table.ForeignKey(
                        name: "fk_agreement_lines_agreements_agreement_id",
                        column: x => x.agreement_id,
                        principalTable: "agreements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_agreement_lines_resource_types_resource_type",
                        column: x => x.resource_type,
                        principalTable: "resource_types",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "aid_request_lines",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<int>(type: "integer", nullable: false),
                    resource_type = table.Column<string>(type: "character varying(40)", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_aid_request_lines", x => x.id);
                    table.CheckConstraint("ck_aid_request_lines_quantity", "quantity > 0");
                    table.ForeignKey(
                        name: "fk_aid_request_lines_aid_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "aid_requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_aid_request_lines_resource_types_resource_type",
                        column: x => x.resource_type,
                        principalTable: "resource_types",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "inventory",
                columns: table => new
                {
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false),
                    resource_type = table.Column<string>(type: "character varying(40)", nullable: false),
                    on_hand = table.Column<int>(type: "integer", nullable: false),
                    reserved = table.Column<int>(type: "integer", nullable: false),
                    available = table.Column<int>(type: "integer", nullable: false, computedColumnSql: "on_hand - reserved", stored: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_by = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inventory", x => new { x.commune_code, x.resource_type });
                    table.CheckConstraint("ck_inventory_quantities", "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand");
                    table.ForeignKey(
                        name: "fk_inventory_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_inventory_resource_types_resource_type",
                        column: x => x.resource_type,
                        principalTable: "resource_types",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pledges",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_line_id = table.Column<int>(type: "integer", nullable: false),
                    donor_code = table.Column<string>(type: "character varying(10)", nullable: false),
                    quantity_requested = table.Column<int>(type: "integer", nullable: false),
                    quantity_accepted = table.Column<int>(type: "integer", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    requested_by = table.Column<string>(type: "text", nullable: false),
                    on_behalf = table.Column<bool>(type: "boolean", nullable: false),
                    exclusion_overridden = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "text", nullable: true),
                    answered_by = table.Column<string>(type: "text", nullable: true),
                    person_turns = table.Column<int>(type: "integer", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    answered_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    dispatched_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    arrived_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    closed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    escalated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pledges", x => x.id);
                    table.CheckConstraint("ck_pledges_quantity", "quantity_requested > 0 AND (quantity_accepted IS NULL OR (quantity_accepted > 0 AND quantity_accepted <= quantity_requested))");
                    table.CheckConstraint("ck_pledges_status", "status IN ('requested','accepted','declined','cancelled','dispatched','arrived','returned','consumed')");
                    table.ForeignKey(
                        name: "fk_pledges_aid_request_lines_request_line_id",
                        column: x => x.request_line_id,
                        principalTable: "aid_request_lines",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_pledges_communes_donor_code",
                        column: x => x.donor_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "resource_types",
                columns: new[] { "code", "name_en", "name_vi", "persons", "pillar", "returnable", "unit_en", "unit_vi" },
                values: new object[,]
                {
                    { "boat", "Boat", "Thuyền, xuồng", false, "means", true, "boats", "chiếc" },
                    { "chainsaw", "Chainsaw", "Cưa máy", false, "means", true, "units", "chiếc" },
                    { "commander", "On-the-spot commander", "Cán bộ chỉ huy tại chỗ", true, "command", true, "persons", "người" },
                    { "drinking_water", "Drinking water", "Nước uống", false, "logistics", false, "20 l jugs", "bình 20 l" },
                    { "excavator", "Excavator", "Máy xúc", false, "means", true, "machines", "máy" },
                    { "food_ration", "Food ration", "Suất ăn", false, "logistics", false, "rations", "suất" },
                    { "generator", "Generator", "Máy phát điện", false, "means", true, "units", "máy" },
                    { "instant_noodles", "Instant noodles", "Mì tôm", false, "logistics", false, "cases", "thùng" },
                    { "liaison", "Liaison officer", "Cán bộ liên lạc", true, "command", true, "persons", "người" },
                    { "life_jacket", "Life jacket", "Áo phao", false, "means", true, "units", "chiếc" },
                    { "medical_team", "Medical staff", "Nhân viên y tế", true, "forces", true, "persons", "người" },
                    { "medicine_kit", "Medicine kit", "Cơ số thuốc", false, "logistics", false, "kits", "cơ số" },
                    { "militia", "Militia (dân quân)", "Dân quân tự vệ", true, "forces", true, "persons", "người" },
                    { "motor_boat", "Motor boat", "Ca nô", false, "means", true, "boats", "chiếc" },
                    { "police", "Commune police", "Công an xã", true, "forces", true, "persons", "người" },
                    { "radio", "Two-way radio", "Bộ đàm", false, "command", true, "units", "chiếc" },
                    { "sandbag", "Sandbag", "Bao cát", false, "means", false, "bags", "bao" },
                    { "satellite_phone", "Satellite phone", "Điện thoại vệ tinh", false, "command", true, "units", "chiếc" },
                    { "tarpaulin", "Tarpaulin", "Bạt che", false, "logistics", false, "sheets", "tấm" },
                    { "truck", "Truck", "Xe tải", false, "means", true, "trucks", "xe" },
                    { "water_pump", "Water pump", "Máy bơm nước", false, "means", true, "units", "máy" },
                    { "youth_volunteers", "Youth volunteers", "Thanh niên xung kích", true, "forces", true, "persons", "người" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_agreement_lines_resource_type",
                table: "agreement_lines",
                column: "resource_type");

            migrationBuilder.CreateIndex(
                name: "ix_agreements_commune_a",
                table: "agreements",
                column: "commune_a");

            migrationBuilder.CreateIndex(
                name: "ix_agreements_commune_b",
                table: "agreements",
                column: "commune_b");

            migrationBuilder.CreateIndex(
                name: "ix_aid_request_lines_request_id_resource_type",
                table: "aid_request_lines",
                columns: new[] { "request_id", "resource_type" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_aid_request_lines_resource_type",
                table: "aid_request_lines",
                column: "resource_type");

            migrationBuilder.CreateIndex(
                name: "ix_aid_requests_commune_code",
                table: "aid_requests",
                column: "commune_code");

            migrationBuilder.CreateIndex(
                name: "ix_aid_requests_status_commune_code",
                table: "aid_requests",
                columns: new[] { "status", "commune_code" });

            migrationBuilder.CreateIndex(
                name: "ix_inventory_resource_type_commune_code",
                table: "inventory",
                columns: new[] { "resource_type", "commune_code" });

            migrationBuilder.CreateIndex(
                name: "ix_pledges_donor_code_status",
                table: "pledges",
                columns: new[] { "donor_code", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_pledges_request_line_id",
                table: "pledges",
                column: "request_line_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agreement_lines");

            migrationBuilder.DropTable(
                name: "inventory");

            migrationBuilder.DropTable(
                name: "pledges");

            migrationBuilder.DropTable(
                name: "agreements");

            migrationBuilder.DropTable(
                name: "aid_request_lines");

            migrationBuilder.DropTable(
                name: "aid_requests");

            migrationBuilder.DropTable(
                name: "resource_types");
        }
    }
}
