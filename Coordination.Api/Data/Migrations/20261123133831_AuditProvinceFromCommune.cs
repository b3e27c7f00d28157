using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditProvinceFromCommune : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // An event placed in a commune is placed in its province too, whoever wrote it: province operators read the
            // log by province, and no write path has to remember to look the province up. Rows written before stay as they
            // are: the log is append-only, even for a migration.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION audit_events_province() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.province_code IS NULL AND NEW.commune_code IS NOT NULL THEN
                        SELECT province_code INTO NEW.province_code FROM communes WHERE code = NEW.commune_code;
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER audit_events_province BEFORE INSERT ON audit_events
                    FOR EACH ROW EXECUTE FUNCTION audit_events_province();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER audit_events_province ON audit_events; DROP FUNCTION audit_events_province();");
        }
    }
}
