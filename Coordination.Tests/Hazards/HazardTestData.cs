using System.Globalization;

namespace Coordination.Tests.Hazards;

/// <summary>Places and shapes for the hazard tests, built around a commune's representative point.</summary>
public static class HazardTestData
{
    public const string ChauKhe = "17248", ConCuong = "17254", ChauTien = "16792";
    /// <summary>Metres per degree near latitude 19° (for building test shapes; distances are measured by PostGIS).</summary>
    public const double MPerDegLat = 110_700, MPerDegLon = 105_200;

    public static async Task<(double Lon, double Lat)> LabelPointAsync(string cs, string commune)
    {
        await using var db = PostgisFixture.NewContext(cs);
        var p = await db.Communes.Where(c => c.Code == commune).Select(c => c.LabelPoint!).SingleAsync();
        return (p.X, p.Y);
    }

    /// <summary>A square of the given half-size (metres) around a point, as a GeoJSON Polygon object.</summary>
    public static object Square((double Lon, double Lat) c, double halfM)
    {
        var dx = halfM / MPerDegLon; var dy = halfM / MPerDegLat;
        return new { type = "Polygon", coordinates = new[] { new[] {
            new[] { c.Lon - dx, c.Lat - dy }, new[] { c.Lon + dx, c.Lat - dy }, new[] { c.Lon + dx, c.Lat + dy },
            new[] { c.Lon - dx, c.Lat + dy }, new[] { c.Lon - dx, c.Lat - dy } } } };
    }

    public static (double Lon, double Lat) East((double Lon, double Lat) c, double metres) => (c.Lon + metres / MPerDegLon, c.Lat);

    public static string Collection(params object[] features) => JsonSerializer.Serialize(new { type = "FeatureCollection", features });

    public static object Zone(object geometry, string hazard = "flood", string name = "Vùng thử", object? extra = null)
    {
        var props = new Dictionary<string, object?> { ["hazard"] = hazard, ["name"] = name, ["source"] = "test", ["source_date"] = "2025-07-20" };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) props[p.Name] = p.GetValue(extra);
        return new { type = "Feature", properties = props, geometry };
    }

    public static object OfficeBody(string commune, string name, (double Lon, double Lat) at, string kind = "school", bool shelter = false, int? capacity = null) =>
        new { communeCode = commune, kind, name, address = "Bản thử", phone = "0238 3873 000", lon = at.Lon, lat = at.Lat, isShelter = shelter, shelterCapacity = capacity };

    public static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
