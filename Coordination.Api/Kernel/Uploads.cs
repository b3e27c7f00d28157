using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Api.Kernel;

/// <summary>A reason a file is refused, naming the feature (index, code and name where it has them).</summary>
public sealed record ImportProblem(string Feature, string Message)
{
    public override string ToString() => Feature.Length == 0 ? Message : $"{Feature}: {Message}";
}

/// <summary>Thrown when a file is refused; nothing has been written.</summary>
public sealed class GeoImportRejected(string file, IReadOnlyList<ImportProblem> problems)
    : Exception($"{file} rejected, nothing imported:\n  " + string.Join("\n  ", problems.Take(50)) +
                (problems.Count > 50 ? $"\n  … and {problems.Count - 50} more" : ""))
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}

/// <summary>Thrown when features of a file lie outside the importer's scope; nothing has been written.</summary>
public sealed class OutsideScope(IReadOnlyList<string> items) : Exception("outside your scope: " + string.Join("; ", items))
{
    public IReadOnlyList<string> Items { get; } = items;
}

/// <summary>Request bodies that carry a file, and how a refused file is answered.</summary>
public static class Uploads
{
    public const int MaxBytes = 50_000_000;

    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > MaxBytes) return null;
        }
        return ms.Length == 0 ? null : ms.ToArray();
    }

    /// <summary>400 with every reason, by feature or row, under "file".</summary>
    public static ValidationProblem Rejected(GeoImportRejected e) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = e.Problems.Select(p => p.ToString()).ToArray() },
            title: "The file was refused; nothing was written.", detail: string.Join("; ", e.Problems.Take(5).Select(p => p.ToString())));
}
