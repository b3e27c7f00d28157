using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.Boundaries;

sealed class ProvinceConfiguration : IEntityTypeConfiguration<Province>
{
    public void Configure(EntityTypeBuilder<Province> e)
    {
        e.HasKey(p => p.Code);
        e.Property(p => p.Code).HasMaxLength(3);
        e.Property(p => p.Geom).HasColumnType("geometry(MultiPolygon,4326)");
    }
}

sealed class CommuneConfiguration : IEntityTypeConfiguration<Commune>
{
    public void Configure(EntityTypeBuilder<Commune> e)
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
    }
}

sealed class AdjacencyConfiguration : IEntityTypeConfiguration<Adjacency>
{
    public void Configure(EntityTypeBuilder<Adjacency> e)
    {
        e.ToTable("adjacency", t => t.HasCheckConstraint("ck_adjacency_order", "code_a < code_b"));
        e.HasKey(a => new { a.CodeA, a.CodeB });
        e.HasIndex(a => a.CodeB);
        e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CodeA).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<Commune>().WithMany().HasForeignKey(a => a.CodeB).OnDelete(DeleteBehavior.Cascade);
        e.Property(a => a.Contact).HasMaxLength(10);
    }
}

sealed class DefenseAreaConfiguration : IEntityTypeConfiguration<DefenseArea>
{
    public void Configure(EntityTypeBuilder<DefenseArea> e)
    {
        e.HasIndex(d => new { d.ProvinceCode, d.Name }).IsUnique();
        e.HasOne<Province>().WithMany().HasForeignKey(d => d.ProvinceCode);
        e.HasMany(d => d.Communes).WithOne().HasForeignKey(m => m.DefenseAreaId).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class DefenseAreaCommuneConfiguration : IEntityTypeConfiguration<DefenseAreaCommune>
{
    public void Configure(EntityTypeBuilder<DefenseAreaCommune> e)
    {
        e.HasKey(m => new { m.DefenseAreaId, m.CommuneCode });
        e.HasIndex(m => m.CommuneCode).IsUnique();
        e.HasOne<Commune>().WithMany().HasForeignKey(m => m.CommuneCode).OnDelete(DeleteBehavior.Cascade);
    }
}

sealed class CommuneContactConfiguration : IEntityTypeConfiguration<CommuneContact>
{
    public void Configure(EntityTypeBuilder<CommuneContact> e)
    {
        e.HasKey(c => c.CommuneCode);
        e.HasOne<Commune>().WithOne().HasForeignKey<CommuneContact>(c => c.CommuneCode).OnDelete(DeleteBehavior.Cascade);
        e.Property(c => c.DutyPhone).HasMaxLength(20);
        e.Property(c => c.DutyMobile).HasMaxLength(16);
        e.HasIndex(c => c.DutyMobile).HasFilter("duty_mobile IS NOT NULL");
        e.Property(c => c.DutyOfficer).HasMaxLength(100);
        e.Property(c => c.Note).HasMaxLength(500);
    }
}

sealed class LandPartConfiguration : IEntityTypeConfiguration<LandPart>
{
    public void Configure(EntityTypeBuilder<LandPart> e)
    {
        e.ToTable("land");
        e.Property(l => l.Geom).HasColumnType("geometry(MultiPolygon,3857)");
        e.HasIndex(l => l.Geom).HasMethod("gist");
    }
}
