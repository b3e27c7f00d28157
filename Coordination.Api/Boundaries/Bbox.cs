namespace Coordination.Api.Boundaries;

/// <summary>A map view given as "minLon,minLat,maxLon,maxLat" in degrees (offices, hazard zones).</summary>
public static class Bbox
{
    /// <summary>A view bigger than this (about a province) must name a province instead: keeps answers small.</summary>
    public const double MaxSquareDegrees = 16;

    /// <summary>"minLon,minLat,maxLon,maxLat" → four numbers, or null when malformed or larger than <see cref="MaxSquareDegrees"/>.</summary>
    public static double[]? Parse(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',');
        if (parts.Length != 4) return null;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i])) return null;
        return v[0] is >= -180 and <= 180 && v[2] is >= -180 and <= 180 && v[1] is >= -90 and <= 90 && v[3] is >= -90 and <= 90
               && v[0] < v[2] && v[1] < v[3] && (v[2] - v[0]) * (v[3] - v[1]) <= MaxSquareDegrees ? v : null;
    }
}
