using Microsoft.EntityFrameworkCore.Metadata.Builders;
using static Coordination.Api.Data.CoordinationDb;

namespace Coordination.Api.Boundaries.Hamlets;

/// <summary>
/// A hamlet of a commune (thôn, bản, tổ dân phố, ấp): where people live and where help is asked for. Kept by those
/// who act for the commune; the registry starts empty (no official national list exists), demo mode seeds a few
/// plainly marked samples (<see cref="IsSample"/>).
/// </summary>
public sealed class Hamlet
{
    public int Id { get; set; }
    public required string CommuneCode { get; set; }
    /// <summary>As people write it, NFC, with its kind word: "Thôn Tiến Thành", "Bản Xiềng", "Tổ dân phố 3".</summary>
    public required string Name { get; set; }
    /// <summary>Folded name (see <see cref="SearchKey"/>): search with or without diacritics, one hamlet per name in a commune.</summary>
    public required string SearchKey { get; set; }
    public required Point Location { get; set; }        // EPSG:4326, inside the commune
    public int? Households { get; set; }
    public int? Population { get; set; }
    public bool FloodProne { get; set; }
    public bool IsSample { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

sealed class HamletConfiguration : IEntityTypeConfiguration<Hamlet>
{
    public void Configure(EntityTypeBuilder<Hamlet> e)
    {
        e.HasOne<Commune>().WithMany().HasForeignKey(h => h.CommuneCode).OnDelete(DeleteBehavior.Cascade);
        e.Property(h => h.Name).HasMaxLength(HamletRules.MaxName);
        e.Property(h => h.SearchKey).HasMaxLength(HamletRules.MaxName * 2);
        e.Property(h => h.Location).HasColumnType("geometry(Point,4326)");
        e.Property<Geometry>(GeomMetric).HasColumnName("location_m").HasColumnType($"geometry(Point,{MetricSrid})")
            .HasComputedColumnSql($"ST_Transform(location, {MetricSrid})", stored: true);
        e.HasIndex(h => h.Location).HasMethod("gist");
        e.HasIndex(h => new { h.CommuneCode, h.SearchKey }).IsUnique();
        e.HasIndex(h => h.SearchKey).HasMethod("gin").HasOperators("gin_trgm_ops");
        e.ToTable(t => t.HasCheckConstraint("ck_hamlets_counts", "(households IS NULL OR households >= 0) AND (population IS NULL OR population >= 0)"));
    }
}
