using Coordination.Api.MutualAid;
using Coordination.Api.Alerts;
using Coordination.Api.Identity;
using Coordination.Api.Boundaries;
using Coordination.Api.Hazards;
using Coordination.Api.Offices;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

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
    public DbSet<LandPart> Land => Set<LandPart>();
    public DbSet<Adjacency> Adjacencies => Set<Adjacency>();
    public DbSet<Boundaries.Hamlets.Hamlet> Hamlets => Set<Boundaries.Hamlets.Hamlet>();
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
    public DbSet<SmsConfirmation> SmsConfirmations => Set<SmsConfirmation>();
    public DbSet<NotificationSmsCursor> NotificationSmsCursors => Set<NotificationSmsCursor>();
    public DbSet<MutualAid.Sms.NotificationSmsBudget> NotificationSmsBudgets => Set<MutualAid.Sms.NotificationSmsBudget>();
    public DbSet<Subscriber> Subscribers => Set<Subscriber>();
    public DbSet<SubscriberCommune> SubscriberCommunes => Set<SubscriberCommune>();
    public DbSet<SmsTemplate> SmsTemplates => Set<SmsTemplate>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<AlertCommune> AlertCommunes => Set<AlertCommune>();
    public DbSet<AlertRound> AlertRounds => Set<AlertRound>();
    public DbSet<SmsMessage> SmsMessages => Set<SmsMessage>();
    public DbSet<InboundSms> InboundSms => Set<InboundSms>();

    /// <summary>SQL list literal for a check constraint: ('a','b',…).</summary>
    internal static string In(string[] values) => "('" + string.Join("','", values) + "')";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        var b = builder;
        base.OnModelCreating(b);   // Identity's tables
        b.HasPostgresExtension("postgis");
        b.HasPostgresExtension("pg_trgm");

        // One IEntityTypeConfiguration<T> per entity, in the Persistence.cs of the folder that owns it.
        b.ApplyConfigurationsFromAssembly(typeof(CoordinationDb).Assembly);
    }
}
