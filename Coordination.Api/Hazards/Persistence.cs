using Coordination.Api.Boundaries;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.Hazards;

sealed class HazardLayerConfiguration : IEntityTypeConfiguration<HazardLayer>
{
    public void Configure(EntityTypeBuilder<HazardLayer> e)
    {
        e.HasIndex(l => l.Name).IsUnique();
        e.Property(l => l.Name).HasMaxLength(200);
        e.HasMany(l => l.Zones).WithOne().HasForeignKey(z => z.LayerId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class HazardZoneConfiguration : IEntityTypeConfiguration<HazardZone>
{
    public void Configure(EntityTypeBuilder<HazardZone> e)
    {
        e.Property(z => z.Hazard).HasMaxLength(20);
        e.ToTable(t => t.HasCheckConstraint("ck_hazard_zones_hazard", "hazard IN ('" + string.Join("','", HazardKind.All) + "')"));
        e.Property(z => z.Geom).HasColumnType("geometry(MultiPolygon,4326)");
        e.HasIndex(z => z.Geom).HasMethod("gist");
        e.Property<Geometry>(GeomMetric).HasColumnType($"geometry(MultiPolygon,{MetricSrid})")
            .HasComputedColumnSql($"ST_Transform(geom, {MetricSrid})", stored: true);
        e.HasIndex(GeomMetric).HasMethod("gist");
    }
}

sealed class FloodEventConfiguration : IEntityTypeConfiguration<FloodEvent>
{
    public void Configure(EntityTypeBuilder<FloodEvent> e)
    {
        e.Property(f => f.Name).HasMaxLength(200);
        e.ToTable(t => t.HasCheckConstraint("ck_flood_events_dates", "ended_at IS NULL OR ended_at >= started_at"));
        e.Property(f => f.Geom).HasColumnType("geometry(MultiPolygon,4326)");
        e.HasIndex(f => f.Geom).HasMethod("gist");
        e.Property<Geometry>(GeomMetric).HasColumnType($"geometry(MultiPolygon,{MetricSrid})")
            .HasComputedColumnSql($"ST_Transform(geom, {MetricSrid})", stored: true);
        e.HasIndex(GeomMetric).HasMethod("gist");
    }
}

sealed class FloodEventCommuneConfiguration : IEntityTypeConfiguration<FloodEventCommune>
{
    public void Configure(EntityTypeBuilder<FloodEventCommune> e)
    {
        e.HasKey(x => new { x.CommuneCode, x.FloodEventId });
        e.HasIndex(x => x.FloodEventId);
        e.HasOne<FloodEvent>().WithMany().HasForeignKey(x => x.FloodEventId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Commune>().WithMany().HasForeignKey(x => x.CommuneCode).OnDelete(DeleteBehavior.Cascade);
    }
}
