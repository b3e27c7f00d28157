using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Coordination.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class SmsAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The shared send schedule of all dispatcher processes (segments per second, counted across them):
            // one row whose next free instant each dispatcher pushes forward by what it is about to send.
            migrationBuilder.Sql("CREATE TABLE sms_pacing (id int PRIMARY KEY CHECK (id = 1), next_free timestamptz NOT NULL); INSERT INTO sms_pacing VALUES (1, now());");

            migrationBuilder.CreateTable(
                name: "inbound_sms",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    channel = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    external_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    from = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    keyword = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reply = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    received_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_sms", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "sms_templates",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    registration_ref = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    text = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    active = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sms_templates", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "subscribers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    prefers_folded = table.Column<bool>(type: "boolean", nullable: false),
                    consent_source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    consent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    consent_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    opted_out = table.Column<bool>(type: "boolean", nullable: false),
                    opted_out_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    test_group = table.Column<bool>(type: "boolean", nullable: false),
                    note = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subscribers", x => x.id);
                    table.CheckConstraint("ck_subscribers_consent", "consent_source IN ('official','import','sms')");
                    table.CheckConstraint("ck_subscribers_phone", "phone ~ '^\\+[1-9][0-9]{6,14}$'");
                });

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    identifier = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    sender = table.Column<string>(type: "text", nullable: false),
                    sender_name = table.Column<string>(type: "text", nullable: false),
                    created_by = table.Column<string>(type: "text", nullable: false),
                    created_by_id = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    msg_type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    references_alert_id = table.Column<int>(type: "integer", nullable: true),
                    category = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    @event = table.Column<string>(name: "event", type: "character varying(100)", maxLength: 100, nullable: false),
                    urgency = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    severity = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    certainty = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    headline = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    instruction = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    effective = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    expires = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    template_id = table.Column<int>(type: "integer", nullable: true),
                    template_ref = table.Column<string>(type: "text", nullable: true),
                    body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    body_folded = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    fold = table.Column<bool>(type: "boolean", nullable: false),
                    area = table.Column<Polygon>(type: "geometry(Polygon,4326)", nullable: true),
                    circle_centre = table.Column<Point>(type: "geometry(Point,4326)", nullable: true),
                    circle_radius_km = table.Column<double>(type: "double precision", nullable: true),
                    risk_level = table.Column<int>(type: "integer", nullable: true),
                    repeat_every_minutes = table.Column<int>(type: "integer", nullable: true),
                    next_round_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    approved_by = table.Column<string>(type: "text", nullable: true),
                    approved_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ended_reason = table.Column<string>(type: "text", nullable: true),
                    ended_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                    table.CheckConstraint("ck_alerts_msg_type", "msg_type IN ('Alert','Update','Cancel')");
                    table.CheckConstraint("ck_alerts_references", "(msg_type = 'Alert') = (references_alert_id IS NULL)");
                    table.CheckConstraint("ck_alerts_repeat", "repeat_every_minutes IS NULL OR repeat_every_minutes BETWEEN 15 AND 1440");
                    table.CheckConstraint("ck_alerts_state", "state IN ('awaiting_approval','active','ended','rejected')");
                    table.CheckConstraint("ck_alerts_status", "status IN ('Actual','Exercise','Test')");
                    table.CheckConstraint("ck_alerts_times", "expires > effective");
                    table.ForeignKey(
                        name: "fk_alerts_alerts_references_alert_id",
                        column: x => x.references_alert_id,
                        principalTable: "alerts",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "fk_alerts_sms_templates_template_id",
                        column: x => x.template_id,
                        principalTable: "sms_templates",
                        principalColumn: "id");
                });

            migrationBuilder.CreateTable(
                name: "subscriber_communes",
                columns: table => new
                {
                    subscriber_id = table.Column<long>(type: "bigint", nullable: false),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_subscriber_communes", x => new { x.subscriber_id, x.commune_code });
                    table.ForeignKey(
                        name: "fk_subscriber_communes_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_subscriber_communes_subscribers_subscriber_id",
                        column: x => x.subscriber_id,
                        principalTable: "subscribers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_communes",
                columns: table => new
                {
                    alert_id = table.Column<int>(type: "integer", nullable: false),
                    commune_code = table.Column<string>(type: "character varying(10)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_communes", x => new { x.alert_id, x.commune_code });
                    table.ForeignKey(
                        name: "fk_alert_communes_alerts_alert_id",
                        column: x => x.alert_id,
                        principalTable: "alerts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_alert_communes_communes_commune_code",
                        column: x => x.commune_code,
                        principalTable: "communes",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "alert_rounds",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    alert_id = table.Column<int>(type: "integer", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    recipients = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_rounds", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_rounds_alerts_alert_id",
                        column: x => x.alert_id,
                        principalTable: "alerts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "sms_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    round_id = table.Column<int>(type: "integer", nullable: false),
                    alert_id = table.Column<int>(type: "integer", nullable: false),
                    phone = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    folded = table.Column<bool>(type: "boolean", nullable: false),
                    segments = table.Column<short>(type: "smallint", nullable: false),
                    status = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    attempts = table.Column<short>(type: "smallint", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    claimed_by = table.Column<Guid>(type: "uuid", nullable: true),
                    attempt_started_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    twilio_sid = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    error_code = table.Column<int>(type: "integer", nullable: true),
                    error_message = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sms_messages", x => x.id);
                    table.CheckConstraint("ck_sms_messages_status", "status IN ('queued','sending','uncertain','accepted','sent','delivered','undelivered','failed','opted_out','cancelled','expired')");
                    table.ForeignKey(
                        name: "fk_sms_messages_alert_rounds_round_id",
                        column: x => x.round_id,
                        principalTable: "alert_rounds",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_alert_communes_commune_code",
                table: "alert_communes",
                column: "commune_code");

            migrationBuilder.CreateIndex(
                name: "ix_alert_rounds_alert_id_number",
                table: "alert_rounds",
                columns: new[] { "alert_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_alerts_identifier",
                table: "alerts",
                column: "identifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_alerts_next_round_at",
                table: "alerts",
                column: "next_round_at",
                filter: "state = 'active'");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_references_alert_id",
                table: "alerts",
                column: "references_alert_id");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_template_id",
                table: "alerts",
                column: "template_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_sms_channel_external_id",
                table: "inbound_sms",
                columns: new[] { "channel", "external_id" },
                unique: true,
                filter: "external_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_sms_from",
                table: "inbound_sms",
                column: "from");

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_alert_id_status",
                table: "sms_messages",
                columns: new[] { "alert_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_in_flight",
                table: "sms_messages",
                column: "lease_until",
                filter: "status IN ('sending','uncertain')");

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_phone",
                table: "sms_messages",
                column: "phone");

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_queue",
                table: "sms_messages",
                columns: new[] { "next_attempt_at", "id" },
                filter: "status = 'queued'");

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_round_id_phone",
                table: "sms_messages",
                columns: new[] { "round_id", "phone" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sms_messages_twilio_sid",
                table: "sms_messages",
                column: "twilio_sid",
                filter: "twilio_sid IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_sms_templates_name",
                table: "sms_templates",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_subscriber_communes_commune_code_subscriber_id",
                table: "subscriber_communes",
                columns: new[] { "commune_code", "subscriber_id" });

            migrationBuilder.CreateIndex(
                name: "ix_subscribers_phone",
                table: "subscribers",
                column: "phone",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE sms_pacing;");

            migrationBuilder.DropTable(
                name: "alert_communes");

            migrationBuilder.DropTable(
                name: "inbound_sms");

            migrationBuilder.DropTable(
                name: "sms_messages");

            migrationBuilder.DropTable(
                name: "subscriber_communes");

            migrationBuilder.DropTable(
                name: "alert_rounds");

            migrationBuilder.DropTable(
                name: "subscribers");

            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "sms_templates");
        }
    }
}
