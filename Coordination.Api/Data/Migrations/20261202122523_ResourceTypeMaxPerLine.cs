using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class ResourceTypeMaxPerLine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_per_line",
                table: "resource_types",
                type: "integer",
                nullable: true);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "boat",
                column: "max_per_line",
                value: 500);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "chainsaw",
                column: "max_per_line",
                value: 500);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "commander",
                column: "max_per_line",
                value: 50);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "drinking_water",
                column: "max_per_line",
                value: 100000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "excavator",
                column: "max_per_line",
                value: 100);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "food_ration",
                column: "max_per_line",
                value: 500000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "generator",
                column: "max_per_line",
                value: 500);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "instant_noodles",
                column: "max_per_line",
                value: 100000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "liaison",
                column: "max_per_line",
                value: 100);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "life_jacket",
                column: "max_per_line",
                value: 20000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "medical_team",
                column: "max_per_line",
                value: 500);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "medicine_kit",
                column: "max_per_line",
                value: 10000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "militia",
                column: "max_per_line",
                value: 5000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "motor_boat",
                column: "max_per_line",
                value: 200);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "police",
                column: "max_per_line",
                value: 1000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "radio",
                column: "max_per_line",
                value: 500);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "sandbag",
                column: "max_per_line",
                value: 500000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "satellite_phone",
                column: "max_per_line",
                value: 50);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "tarpaulin",
                column: "max_per_line",
                value: 50000);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "truck",
                column: "max_per_line",
                value: 300);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "water_pump",
                column: "max_per_line",
                value: 500);

            migrationBuilder.UpdateData(
                table: "resource_types",
                keyColumn: "code",
                keyValue: "youth_volunteers",
                column: "max_per_line",
                value: 5000);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "max_per_line",
                table: "resource_types");
        }
    }
}
