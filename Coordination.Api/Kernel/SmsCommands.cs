using System.Data.Common;

namespace Coordination.Api.Kernel;

/// <summary>An inbound SMS inside the unit of work that records it: the connection and transaction the command joins.</summary>
public sealed record InboundSmsContext(string Channel, string? ExternalId, string Phone, string Body, bool Plain, DbConnection Connection,
    DbTransaction Transaction);

/// <summary>The reply to an inbound SMS (exactly one per message) and the keyword it is recorded under.</summary>
public sealed record SmsCommandReply(string Keyword, string Reply);

/// <summary>
/// The command channel of the officials (YC, HOI, NHAN …) and the citizens' CUU/SOS, published by MutualAid for the
/// inbound SMS path that Alerts owns. The command runs inside the caller's transaction, so the inbound row, what the
/// command changed and the reply commit together: a repeated delivery finds the row and changes nothing.
/// </summary>
public interface ISmsCommands
{
    /// <summary>Whether the first word of the (folded) text is one of the channel's commands.</summary>
    bool IsCommand(string foldedText);

    Task<SmsCommandReply> HandleAsync(InboundSmsContext inbound, CancellationToken ct);
}
