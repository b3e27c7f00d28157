using Coordination.Api.MutualAid;
using Coordination.Api.Alerts;
using Coordination.Api.Identity;
using Coordination.Api.Boundaries;
using Coordination.Api.Kernel;
using Coordination.Api.Hazards;
using Coordination.Api.Offices;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Coordination.Api.Data;

public sealed class CoordinationDb(DbContextOptions<CoordinationDb> options) : IdentityDbContext<AppUser>(options)
{
    /// <summary>Metric CRS for lengths and distances: WGS 84 / UTM 48N (Vietnam lies in zones 48–49; scale error ≤ 0.6 %).</summary>
    public const int MetricSrid = 32648;

    /// <summary>Shadow columns: communes.geom_m (EPSG:32648) and communes.geom_web (EPSG:3857).</summary>
    public const string GeomMetric = "GeomM", GeomWeb = "GeomWeb";

    /// <summary>A context outside the app's container (tools, tests, the bench).</summary>
    public static CoordinationDb Create(string connectionString) =>
        new(((DbContextOptionsBuilder<CoordinationDb>)new DbContextOptionsBuilder<CoordinationDb>().UseCoordination(connectionString)).Options);

    public DbSet<Province> Provinces => Set<Province>();
    public DbSet<Commune> Communes => Set<Commune>();
    public DbSet<Adjacency> Adjacencies => Set<Adjacency>();
    public DbSet<DefenseArea> DefenseAreas => Set<DefenseArea>();
    public DbSet<DefenseAreaCommune> DefenseAreaCommunes => Set<DefenseAreaCommune>();
    public DbSet<GeoImport> GeoImports => Set<GeoImport>();
    public DbSet<CommuneContact> CommuneContacts => Set<CommuneContact>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Office> Offices => Set<Office>();
    public DbSet<HazardLayer> HazardLayers => Set<HazardLayer>();
    public DbSet<HazardZone> HazardZones => Set<HazardZone>();
    public DbSet<FloodEvent> FloodEvents => Set<FloodEvent>();
    public DbSet<OfficeExposure> OfficeExposures => Set<OfficeExposure>();
    public DbSet<FloodEventCommune> FloodEventCommunes => Set<FloodEventCommune>();
    public DbSet<ResourceType> ResourceTypes => Set<ResourceType>();
    public DbSet<InventoryItem> Inventory => Set<InventoryItem>();
    public DbSet<AidRequest> AidRequests => Set<AidRequest>();
    public DbSet<AidRequestLine> AidRequestLines => Set<AidRequestLine>();
    public DbSet<Pledge> Pledges => Set<Pledge>();
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<AgreementLine> AgreementLines => Set<AgreementLine>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<SubscriberCommune> SubscriberCommunes => Set<SubscriberCommune>();
    public DbSet<SmsTemplate> SmsTemplates => Set<SmsTemplate>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AlertCommune> AlertCommunes => Set<AlertCommune>();
    public DbSet<AlertRound> AlertRounds => Set<AlertRound>();
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();
    public DbSet<InboundSms> InboundSms => Set<InboundSms>();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);   // Identity's tables
        b.HasPostgresExtension("postgis");
        b.HasPostgresExtension("pg_trgm");

        b.Entity<Province>(e =>
        {
            e.HasKey(p => p.Code);
            e.Property(p => p.Code).HasMaxLength(3);
            e.Property(p => p.Geom).HasColumnType("geometry(MultiPolygon,4326)");
        });

        b.Entity<Commune>(e =>
        {
            e.HasKey(c => c.Code);
            e.Property(c => c.Code).HasMaxLength(10);
            e.Property(c => c.Kind).HasMaxLength(10);
            e.ToTable(t => t.HasCheckConstraint("ck_communes_kind", "kind IN ('xã','phường','đặc khu')"));
            e.HasOne(c => c.Province).WithMany(p => p.Communes).HasForeignKey(c => c.ProvinceCode);
            e.Property(c => c.Geom).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(c => c.Geom).HasMethod("gist");
            e.Property(c => c.LabelPoint).HasColumnType("geometry(Point,4326)")
                .HasComputedColumnSql("ST_PointOnSurface(geom)", stored: true);
            // Derived geometry kept by the database itself (stored generated columns), never sent by clients:
            // metric for lengths/distances, web mercator for vector tiles.
            e.Property<Geometry>(GeomMetric).HasColumnType($"geometry(MultiPolygon,{MetricSrid})")
                .HasComputedColumnSql($"ST_Transform(geom, {MetricSrid})", stored: true);
            e.HasIndex(GeomMetric).HasMethod("gist");
            e.Property<Geometry>(GeomWeb).HasColumnType("geometry(MultiPolygon,3857)")
                .HasComputedColumnSql("ST_Transform(geom, 3857)", stored: true);
            e.HasIndex(GeomWeb).HasMethod("gist");
            e.HasIndex(c => c.SearchKey).HasMethod("gin").HasOperators("gin_trgm_ops");
            e.HasIndex(c => c.ProvinceCode);
        });

        b.Entity<Adjacency>(e =>
        {
            e.ToTable("adjacency", t => t.HasCheckConstraint("ck_adjacency_order", "code_a < code_b"));
            e.HasKey(a => new { a.CodeA, a.CodeB });
            e.HasIndex(a => a.CodeB);
            e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CodeA).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CodeB).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.Contact).HasMaxLength(10);
        });

        b.Entity<DefenseArea>(e =>
        {
            e.HasIndex(d => new { d.ProvinceCode, d.Name }).IsUnique();
            e.HasOne<Province>().WithMany().HasForeignKey(d => d.ProvinceCode);
            e.HasMany(d => d.Communes).WithOne().HasForeignKey(m => m.DefenseAreaId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<AppUser>(e =>
        {
            e.Property(u => u.Role).HasMaxLength(30);
            e.Property(u => u.ScopeKind).HasMaxLength(20);
            e.Property(u => u.ScopeCode).HasMaxLength(10);
            e.ToTable(t => t.HasCheckConstraint("ck_users_role", "role IN ('commune_leader','defense_commander','province_operator','admin')"));
        });

        b.Entity<CommuneContact>(e =>
        {
            e.HasKey(c => c.CommuneCode);
            e.HasOne<Commune>().WithOne().HasForeignKey<CommuneContact>(c => c.CommuneCode).OnDelete(DeleteBehavior.Cascade);
            e.Property(c => c.DutyPhone).HasMaxLength(20);
            e.Property(c => c.DutyOfficer).HasMaxLength(100);
            e.Property(c => c.Note).HasMaxLength(500);
        });

        b.Entity<AuditEvent>(e =>
        {
            e.ToTable("audit_events");
            e.Property(a => a.Action).HasMaxLength(60);
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.CommuneCode, a.At });
            e.HasIndex(a => new { a.ProvinceCode, a.At });
        });

        MapHazards(b);
        MapAid(b);
        MapAlerts(b);

        b.Entity<DefenseAreaCommune>(e =>
        {
            e.HasKey(m => new { m.DefenseAreaId, m.CommuneCode });
            e.HasIndex(m => m.CommuneCode).IsUnique();
            e.HasOne<Commune>().WithMany().HasForeignKey(m => m.CommuneCode).OnDelete(DeleteBehavior.Cascade);
        });
    }

    static void MapHazards(ModelBuilder b)
    {
        b.Entity<Office>(e =>
        {
            e.HasOne<Commune>().WithMany().HasForeignKey(o => o.CommuneCode);
            e.HasOne<Office>().WithMany().HasForeignKey(o => o.FallbackOfficeId).OnDelete(DeleteBehavior.SetNull);
            e.Property(o => o.Kind).HasMaxLength(20);
            e.Property(o => o.Accuracy).HasMaxLength(25);
            e.Property(o => o.Name).HasMaxLength(200);
            e.Property(o => o.Address).HasMaxLength(300);
            e.Property(o => o.Phone).HasMaxLength(20);
            e.Property(o => o.Ref).HasMaxLength(60);
            e.Property(o => o.Location).HasColumnType("geometry(Point,4326)");
            e.Property<Geometry>(GeomMetric).HasColumnName("location_m").HasColumnType($"geometry(Point,{MetricSrid})")
                .HasComputedColumnSql($"ST_Transform(location, {MetricSrid})", stored: true);
            e.HasIndex(GeomMetric).HasMethod("gist");
            e.HasIndex(o => o.CommuneCode);
            e.HasIndex(o => new { o.CommuneCode, o.Ref }).IsUnique();
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_offices_kind", "kind IN ('" + string.Join("','", OfficeKind.All) + "')");
                t.HasCheckConstraint("ck_offices_accuracy", "accuracy IN ('" + string.Join("','", LocationAccuracy.All) + "')");
                t.HasCheckConstraint("ck_offices_fallback", "fallback_office_id IS NULL OR fallback_office_id <> id");
                t.HasCheckConstraint("ck_offices_shelter", "(shelter_capacity IS NULL OR shelter_capacity >= 0) AND (shelter_occupancy IS NULL OR shelter_occupancy >= 0)");
            });
        });

        b.Entity<HazardLayer>(e =>
        {
            e.HasIndex(l => l.Name).IsUnique();
            e.Property(l => l.Name).HasMaxLength(200);
            e.HasMany(l => l.Zones).WithOne().HasForeignKey(z => z.LayerId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<HazardZone>(e =>
        {
            e.Property(z => z.Hazard).HasMaxLength(20);
            e.ToTable(t => t.HasCheckConstraint("ck_hazard_zones_hazard", "hazard IN ('" + string.Join("','", HazardKind.All) + "')"));
            e.Property(z => z.Geom).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(z => z.Geom).HasMethod("gist");
            e.Property<Geometry>(GeomMetric).HasColumnType($"geometry(MultiPolygon,{MetricSrid})")
                .HasComputedColumnSql($"ST_Transform(geom, {MetricSrid})", stored: true);
            e.HasIndex(GeomMetric).HasMethod("gist");
        });

        b.Entity<FloodEvent>(e =>
        {
            e.Property(f => f.Name).HasMaxLength(200);
            e.ToTable(t => t.HasCheckConstraint("ck_flood_events_dates", "ended_at IS NULL OR ended_at >= started_at"));
            e.Property(f => f.Geom).HasColumnType("geometry(MultiPolygon,4326)");
            e.HasIndex(f => f.Geom).HasMethod("gist");
            e.Property<Geometry>(GeomMetric).HasColumnType($"geometry(MultiPolygon,{MetricSrid})")
                .HasComputedColumnSql($"ST_Transform(geom, {MetricSrid})", stored: true);
            e.HasIndex(GeomMetric).HasMethod("gist");
        });

        b.Entity<FloodEventCommune>(e =>
        {
            e.HasKey(x => new { x.CommuneCode, x.FloodEventId });
            e.HasIndex(x => x.FloodEventId);
            e.HasOne<FloodEvent>().WithMany().HasForeignKey(x => x.FloodEventId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<OfficeExposure>(e =>
        {
            e.HasOne<Office>().WithMany().HasForeignKey(x => x.OfficeId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<HazardZone>().WithMany().HasForeignKey(x => x.HazardZoneId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<FloodEvent>().WithMany().HasForeignKey(x => x.FloodEventId).OnDelete(DeleteBehavior.Cascade);
            e.Property(x => x.Hazard).HasMaxLength(20);
            e.Property(x => x.Reason).HasMaxLength(20);
            e.HasIndex(x => x.OfficeId);
        });
    }

    static void MapAid(ModelBuilder b)
    {
        static string In(string[] values) => "('" + string.Join("','", values) + "')";

        b.Entity<ResourceType>(e =>
        {
            e.HasKey(t => t.Code);
            e.Property(t => t.Code).HasMaxLength(40);
            e.Property(t => t.Pillar).HasMaxLength(20);
            e.ToTable(t => t.HasCheckConstraint("ck_resource_types_pillar", "pillar IN " + In(Pillar.All)));
            e.HasData(Catalogue.Default);
        });

        b.Entity<InventoryItem>(e =>
        {
            e.ToTable("inventory", t => t.HasCheckConstraint("ck_inventory_quantities", "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand"));
            e.HasKey(i => new { i.CommuneCode, i.ResourceType });
            e.HasIndex(i => new { i.ResourceType, i.CommuneCode });
            e.HasOne<Commune>().WithMany().HasForeignKey(i => i.CommuneCode);
            e.HasOne<ResourceType>().WithMany().HasForeignKey(i => i.ResourceType);
            e.Property(i => i.Available).HasComputedColumnSql("on_hand - reserved", stored: true);
        });

        b.Entity<AidRequest>(e =>
        {
            e.HasOne<Commune>().WithMany().HasForeignKey(r => r.CommuneCode);
            e.Property(r => r.Location).HasColumnType("geometry(Point,4326)");
            e.Property(r => r.Hamlet).HasMaxLength(100);
            e.Property(r => r.Hazard).HasMaxLength(20);
            e.Property(r => r.Urgency).HasMaxLength(20);
            e.Property(r => r.Status).HasMaxLength(20);
            e.Property(r => r.Description).HasMaxLength(2000);
            e.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.RequestId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(r => new { r.Status, r.CommuneCode });
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_aid_requests_status", "status IN ('draft','open','closed','cancelled')");
                t.HasCheckConstraint("ck_aid_requests_urgency", "urgency IN " + In(Urgency.All));
            });
        });

        b.Entity<AidRequestLine>(e =>
        {
            e.HasOne<ResourceType>().WithMany().HasForeignKey(l => l.ResourceType);
            e.HasIndex(l => new { l.RequestId, l.ResourceType }).IsUnique();
            e.ToTable(t => t.HasCheckConstraint("ck_aid_request_lines_quantity", "quantity > 0"));
        });

        b.Entity<Pledge>(e =>
        {
            e.HasOne<AidRequestLine>().WithMany().HasForeignKey(p => p.RequestLineId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Commune>().WithMany().HasForeignKey(p => p.DonorCode);
            e.Property(p => p.Status).HasMaxLength(20);
            e.HasIndex(p => p.RequestLineId);
            e.HasIndex(p => new { p.DonorCode, p.Status });
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_pledges_status", "status IN ('requested','accepted','declined','cancelled','dispatched','arrived','returned','consumed')");
                t.HasCheckConstraint("ck_pledges_quantity", "quantity_requested > 0 AND (quantity_accepted IS NULL OR (quantity_accepted > 0 AND quantity_accepted <= quantity_requested))");
            });
        });

        b.Entity<Agreement>(e =>
        {
            e.ToTable(t => t.HasCheckConstraint("ck_agreements_order", "commune_a < commune_b"));
            e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CommuneA);
            e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CommuneB);
            e.HasIndex(a => a.CommuneA);
            e.HasIndex(a => a.CommuneB);
            e.HasMany(a => a.Lines).WithOne().HasForeignKey(l => l.AgreementId).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<Notification>(e =>
        {
            e.HasOne<Commune>().WithMany().HasForeignKey(n => n.CommuneCode);
            e.Property(n => n.Audience).HasMaxLength(10);
            e.Property(n => n.Kind).HasMaxLength(40);
            e.HasIndex(n => new { n.CommuneCode, n.Id });
            e.ToTable(t => t.HasCheckConstraint("ck_notifications_audience", "audience IN ('commune','command')"));
        });

        b.Entity<AgreementLine>(e =>
        {
            e.HasKey(l => new { l.AgreementId, l.LenderCode, l.ResourceType });
            e.HasOne<ResourceType>().WithMany().HasForeignKey(l => l.ResourceType);
            e.ToTable(t => t.HasCheckConstraint("ck_agreement_lines_quantity", "max_quantity > 0"));
        });
    }

    static void MapAlerts(ModelBuilder b)
    {
        static string In(string[] values) => "('" + string.Join("','", values) + "')";

        b.Entity<Subscriber>(e =>
        {
            e.Property(x => x.Phone).HasMaxLength(16);
            e.HasIndex(x => x.Phone).IsUnique();
            e.Property(x => x.ConsentSource).HasMaxLength(10);
            e.Property(x => x.ConsentBy).HasMaxLength(100);
            e.Property(x => x.Note).HasMaxLength(200);
            e.HasMany(x => x.Communes).WithOne().HasForeignKey(c => c.SubscriberId).OnDelete(DeleteBehavior.Cascade);
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_subscribers_phone", "phone ~ '^\\+[1-9][0-9]{6,14}$'");
                t.HasCheckConstraint("ck_subscribers_consent", "consent_source IN " + In(ConsentSource.All));
            });
        });

        b.Entity<SubscriberCommune>(e =>
        {
            e.HasKey(x => new { x.SubscriberId, x.CommuneCode });
            e.HasIndex(x => new { x.CommuneCode, x.SubscriberId });
            e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<SmsTemplate>(e =>
        {
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasIndex(x => x.Name).IsUnique();
            e.Property(x => x.RegistrationRef).HasMaxLength(60);
            e.Property(x => x.Text).HasMaxLength(1000);
            e.Property(x => x.Kind).HasMaxLength(10).HasDefaultValue(TemplateKind.Warning);
            e.ToTable(t => t.HasCheckConstraint("ck_sms_templates_kind", "kind IN " + In(TemplateKind.All)));
        });

        b.Entity<Alert>(e =>
        {
            e.Property(x => x.Identifier).HasMaxLength(100);
            e.HasIndex(x => x.Identifier).IsUnique();
            foreach (var p in new[] { nameof(Alert.Status), nameof(Alert.MsgType), nameof(Alert.Category), nameof(Alert.Urgency), nameof(Alert.Severity), nameof(Alert.Certainty), nameof(Alert.State) })
                e.Property(p).HasMaxLength(20);
            e.Property(x => x.Event).HasMaxLength(100);
            e.Property(x => x.Headline).HasMaxLength(200);
            e.Property(x => x.Description).HasMaxLength(2000);
            e.Property(x => x.Instruction).HasMaxLength(1000);
            e.Property(x => x.Body).HasMaxLength(1600);
            e.Property(x => x.BodyFolded).HasMaxLength(1600);
            e.Property(x => x.Area).HasColumnType("geometry(Polygon,4326)");
            e.Property(x => x.CircleCentre).HasColumnType("geometry(Point,4326)");
            e.HasOne<Alert>().WithMany().HasForeignKey(x => x.ReferencesAlertId);
            e.HasOne<SmsTemplate>().WithMany().HasForeignKey(x => x.TemplateId);
            e.HasMany(x => x.Communes).WithOne().HasForeignKey(c => c.AlertId).OnDelete(DeleteBehavior.Cascade);
            // The scheduler looks for active alerts whose next round is due.
            e.HasIndex(x => x.NextRoundAt).HasFilter("state = 'active'");
            e.ToTable(t =>
            {
                t.HasCheckConstraint("ck_alerts_status", "status IN " + In(CapStatus.Allowed));
                t.HasCheckConstraint("ck_alerts_msg_type", "msg_type IN ('Alert','Update','Cancel')");
                t.HasCheckConstraint("ck_alerts_state", "state IN ('awaiting_approval','active','ended','rejected')");
                t.HasCheckConstraint("ck_alerts_times", "expires > effective");
                t.HasCheckConstraint("ck_alerts_repeat", "repeat_every_minutes IS NULL OR repeat_every_minutes BETWEEN 15 AND 1440");
                t.HasCheckConstraint("ck_alerts_references", "(msg_type = 'Alert') = (references_alert_id IS NULL)");
            });
        });

        b.Entity<AlertCommune>(e =>
        {
            e.HasKey(x => new { x.AlertId, x.CommuneCode });
            e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode);
        });

        b.Entity<AlertRound>(e =>
        {
            e.HasOne<Alert>().WithMany().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.AlertId, x.Number }).IsUnique();
        });

        b.Entity<SmsMessage>(e =>
        {
            e.Property(x => x.Phone).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(12);
            e.Property(x => x.TwilioSid).HasMaxLength(40);
            e.Property(x => x.ErrorMessage).HasMaxLength(300);
            // No foreign key to alert_rounds: the fan-out inserts a million rows of a round it created in the same
            // transaction, and a per-row RI check cost a fifth of the enqueue time (bench); rounds are never deleted.
            // Exactly one message per (round, number): the fan-out relies on it, and a retried fan-out cannot double.
            e.HasIndex(x => new { x.RoundId, x.Phone }).IsUnique();
            e.HasIndex(x => new { x.AlertId, x.Status });
            e.HasIndex(x => x.Phone);
            // The dispatcher's queue and the reconciler's work list: partial, so delivered history costs them nothing.
            e.HasIndex(x => new { x.NextAttemptAt, x.Id }).HasDatabaseName("ix_sms_messages_queue").HasFilter("status = 'queued'");
            e.HasIndex(x => x.LeaseUntil).HasDatabaseName("ix_sms_messages_in_flight").HasFilter("status IN ('sending','uncertain')");
            e.HasIndex(x => x.TwilioSid).HasFilter("twilio_sid IS NOT NULL");
            e.ToTable(t => t.HasCheckConstraint("ck_sms_messages_status", "status IN " + In(SmsStatus.All)));
        });

        b.Entity<InboundSms>(e =>
        {
            e.ToTable("inbound_sms");
            e.Property(x => x.Channel).HasMaxLength(10);
            e.Property(x => x.ExternalId).HasMaxLength(64);
            e.Property(x => x.From).HasMaxLength(20);
            e.Property(x => x.Body).HasMaxLength(1600);
            e.Property(x => x.Keyword).HasMaxLength(20);
            e.Property(x => x.Reply).HasMaxLength(1600);
            e.HasIndex(x => new { x.Channel, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL");
            e.HasIndex(x => x.From);
        });
    }
}
