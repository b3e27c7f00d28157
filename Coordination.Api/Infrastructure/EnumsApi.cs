using Coordination.Api.MutualAid;
using Coordination.Api.Alerts;
using Coordination.Api.Alerts.Cap;
using Coordination.Api.Hazards;

namespace Coordination.Api.Infrastructure;

/// <summary>
/// GET /api/enums: the codes of the API's closed vocabularies, so the web client offers exactly what the API accepts
/// (its labels stay in the client's strings, one per code and language). Codes only, no prose; the same for
/// everyone, so anonymous and cacheable for a short while (a deploy may add a code).
/// </summary>
public static class EnumsApi
{
    /// <summary>The body, built once: every list comes from the server's own constants.</summary>
    public static readonly EnumsDto Enums = new(
        Hazards: RequestsApi.Hazards,
        HazardKinds: HazardKind.All,
        Urgencies: Urgency.All,
        CapStatuses: CapStatus.Allowed,
        CapMsgTypes: [CapMsgType.Alert, CapMsgType.Update, CapMsgType.Cancel],
        CapCategories: [.. CapDocument.Categories],
        CapUrgencies: [.. CapDocument.Urgencies],
        CapSeverities: [.. CapDocument.Severities],
        CapCertainties: [.. CapDocument.Certainties],
        SmsStatuses: SmsStatus.All,
        PledgeStatuses:
        [
            PledgeStatus.Requested, PledgeStatus.Accepted, PledgeStatus.Declined, PledgeStatus.Cancelled,
            PledgeStatus.Dispatched, PledgeStatus.Arrived, PledgeStatus.Returned, PledgeStatus.Consumed,
        ],
        RequestStatuses: [RequestStatus.Draft, RequestStatus.Open, RequestStatus.Closed, RequestStatus.Cancelled]);

    public static IEndpointRouteBuilder MapEnums(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/enums", (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return TypedResults.Ok(Enums);
            })
            .AllowAnonymous()
            .WithTags("Reference")
            .WithSummary("The codes of the API's enumerations (hazards, urgencies, CAP values, SMS, pledge and request statuses). Labels are the client's.");
        return app;
    }
}

public sealed record EnumsDto(
    IReadOnlyList<string> Hazards,
    IReadOnlyList<string> HazardKinds,
    IReadOnlyList<string> Urgencies,
    IReadOnlyList<string> CapStatuses,
    IReadOnlyList<string> CapMsgTypes,
    IReadOnlyList<string> CapCategories,
    IReadOnlyList<string> CapUrgencies,
    IReadOnlyList<string> CapSeverities,
    IReadOnlyList<string> CapCertainties,
    IReadOnlyList<string> SmsStatuses,
    IReadOnlyList<string> PledgeStatuses,
    IReadOnlyList<string> RequestStatuses);
