using Coordination.Api.Boundaries;
using Coordination.Api.Hazards;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.Offices;

sealed class OfficeConfiguration : IEntityTypeConfiguration<Office>
{
    public void Configure(EntityTypeBuilder<Office> e)
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
    }
}

sealed class OfficeExposureConfiguration : IEntityTypeConfiguration<OfficeExposure>
{
    public void Configure(EntityTypeBuilder<OfficeExposure> e)
    {
        e.HasOne<Office>().WithMany().HasForeignKey(x => x.OfficeId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<HazardZone>().WithMany().HasForeignKey(x => x.HazardZoneId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<FloodEvent>().WithMany().HasForeignKey(x => x.FloodEventId).OnDelete(DeleteBehavior.Cascade);
        e.Property(x => x.Hazard).HasMaxLength(20);
        e.Property(x => x.Reason).HasMaxLength(20);
        e.HasIndex(x => x.OfficeId);
    }
}
