namespace Coordination.Api.Boundaries;

/// <summary>One of the 34 provinces in force since 1 July 2025.</summary>
public sealed class Province
{
    public required string Code { get; set; }           // 2 digits, as published
    public required string Name { get; set; }           // with diacritics, NFC
    public string? NameEn { get; set; }
    public long? Population { get; set; }
    public double? AreaKm2 { get; set; }
    public string? MergedFrom { get; set; }             // the pre-2025 provinces it absorbed
    public MultiPolygon? Geom { get; set; }             // simplified, for display only
    public List<Commune> Communes { get; set; } = [];
}

public static class CommuneKind
{
    public const string Xa = "xã", Phuong = "phường", DacKhu = "đặc khu";
    public static readonly string[] All = [Xa, Phuong, DacKhu];
}

/// <summary>A commune-level unit (xã, phường, đặc khu) with its real boundary.</summary>
public sealed class Commune
{
    public required string Code { get; set; }           // official code as published: a string, mostly 5 digits
    public required string Name { get; set; }
    public string? NameEn { get; set; }
    public required string Kind { get; set; }           // CommuneKind
    public required string ProvinceCode { get; set; }
    public Province? Province { get; set; }
    public int? Population { get; set; }
    public bool PopulationUncertain { get; set; }
    public double? AreaKm2 { get; set; }
    public string? MergedFrom { get; set; }             // free text, as published
    public string[] FormerNames { get; set; } = [];     // MergedFrom split into units people still name
    public string? AdminCenter { get; set; }
    /// <summary>Folded name for search: lower case, no diacritics, đ→d (see <see cref="SearchKey"/>).</summary>
    public required string SearchKey { get; set; }
    public string[] FormerKeys { get; set; } = [];
    public required MultiPolygon Geom { get; set; }     // EPSG:4326
    /// <summary>Database-generated: a point guaranteed inside the commune (ST_PointOnSurface).</summary>
    public Point? LabelPoint { get; set; }
    /// <summary>md5 of the imported feature, so re-importing an unchanged file touches nothing.</summary>
    public required string SourceHash { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class ContactKind
{
    /// <summary>Borders run together for at least the minimum shared length.</summary>
    public const string Neighbour = "neighbour";
    /// <summary>Borders come within the tolerance but for less than the minimum length.</summary>
    public const string Corner = "corner";
}

/// <summary>One unordered pair of communes whose borders come within the tolerance (CodeA &lt; CodeB).</summary>
public sealed class Adjacency
{
    public required string CodeA { get; set; }
    public required string CodeB { get; set; }
    public double SharedM { get; set; }
    public required string Contact { get; set; }        // ContactKind
}

/// <summary>A defense-area command (Ban Chỉ huy phòng thủ khu vực) and the communes it covers.</summary>
public sealed class DefenseArea
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string ProvinceCode { get; set; }
    /// <summary>True for illustrative groupings shipped with the app, not an official decision.</summary>
    public bool IsSample { get; set; }
    public string? Note { get; set; }
    public List<DefenseAreaCommune> Communes { get; set; } = [];
}

public sealed class DefenseAreaCommune
{
    public int DefenseAreaId { get; set; }
    public required string CommuneCode { get; set; }    // a commune belongs to at most one area
}

/// <summary>A record of each geo file import: what it changed, and which features were repaired.</summary>
public sealed class GeoImport
{
    public int Id { get; set; }
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public DateTime ImportedAt { get; set; }
    public int Features { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public string[] Repaired { get; set; } = [];
}

/// <summary>A piece of the ground under the communes (Natural Earth land, web mercator, ≤ 256 vertices).</summary>
public sealed class LandPart
{
    public int Id { get; set; }
    public required MultiPolygon Geom { get; set; }
}
