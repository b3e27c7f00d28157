using Microsoft.AspNetCore.Http.Features;

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

/// <summary>The one size limit of every uploaded file (configuration section "Uploads").</summary>
public sealed class UploadOptions
{
    public const long DefaultMaxBytes = 50_000_000;
    public long MaxBytes { get; set; } = DefaultMaxBytes;
}

/// <summary>
/// Every request body that carries a file is read here, with the one configured limit (<see cref="UploadOptions"/>),
/// and a refused file is answered here: too large → 413 <see cref="CommonProblems.TooLarge"/> with <c>maxBytes</c>;
/// no file → 400 on "file"; a file refused by its importer → 400 <see cref="CommonProblems.FileRefused"/> with every
/// reason under "file"; features outside the importer's scope → 403. Nothing is written in any of these cases.
/// </summary>
public static class Uploads
{
    public static long MaxBytes(HttpContext http) =>
        http.RequestServices.GetService<IOptions<UploadOptions>>()?.Value.MaxBytes ?? UploadOptions.DefaultMaxBytes;

    /// <summary>Reads the file from the request body and hands it to <paramref name="import"/>; maps every refusal.</summary>
    /// <param name="what">What the body should hold, for the "no file" message (e.g. "the GeoJSON").</param>
    public static async Task<Results<Ok<T>, ValidationProblem, ProblemHttpResult>> ImportAsync<T>(HttpRequest request, string what,
        Func<byte[], Task<T>> import, CancellationToken ct)
    {
        var max = MaxBytes(request.HttpContext);
        var bytes = await ReadAsync(request, max, ct);
        if (bytes is null) return TooLarge(max);
        if (bytes.Length == 0)
            return Problems.BadParameter("file", $"send {what} as the request body (at most {max / 1_000_000} MB).", CommonProblems.FieldRequired, new { MaxBytes = max });
        try
        {
            return TypedResults.Ok(await import(bytes));
        }
        catch (GeoImportRejected e) { return Rejected(e); }
        catch (OutsideScope e) { return Problems.Forbidden(string.Join("; ", e.Items), CommonProblems.Forbidden, new { Outside = e.Items }); }
    }

    /// <summary>The body's bytes (empty when none was sent), or null when it is larger than <paramref name="max"/>.</summary>
    /// <remarks>A body that is too large is still read to its end (discarded, up to <see cref="DrainFactor"/> × max):
    /// a client or proxy that is still sending when the 413 comes reads a reset connection instead, and a page behind
    /// the web host's proxy would get a 502 it cannot word. Beyond that the connection is closed.</remarks>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, long max, CancellationToken ct)
    {
        // The server's own body limit would answer first, and differently: this one is the limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        var buffer = new byte[81920];
        int n;
        if (request.ContentLength > max)
        {
            await DrainAsync(request, max, buffer, 0, ct);
            return null;
        }
        using var ms = new MemoryStream();
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            ms.Write(buffer, 0, n);
            if (ms.Length > max)
            {
                await DrainAsync(request, max, buffer, ms.Length, ct);
                return null;
            }
        }
        return ms.ToArray();
    }

    /// <summary>How much of a too-large body is read and discarded before the connection is given up.</summary>
    public const int DrainFactor = 4;

    static async Task DrainAsync(HttpRequest request, long max, byte[] buffer, long read, CancellationToken ct)
    {
        int n;
        while (read <= DrainFactor * max && (n = await request.Body.ReadAsync(buffer, ct)) > 0) read += n;
        if (read > DrainFactor * max) request.HttpContext.Connection.RequestClose();
    }

    public static ProblemHttpResult TooLarge(long max) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "The file is too large.",
            $"The file is larger than {max / 1_000_000} MB: split it.", CommonProblems.TooLarge,
            new { MaxBytes = max, MaxMegabytes = Math.Round(max / 1_000_000.0, 1) });

    /// <summary>400 with every reason, by feature or row, under "file".</summary>
    public static ValidationProblem Rejected(GeoImportRejected e) =>
        Problems.Invalid(e.Problems.Select(p => new FieldError("file", CommonProblems.FieldMalformed, p.ToString())).ToList(),
            new { Reasons = e.Problems.Count }, CommonProblems.FileRefused,
            title: "The file was refused; nothing was written.", detail: string.Join("; ", e.Problems.Take(5).Select(p => p.ToString())));
}
