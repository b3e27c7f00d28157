using Coordination.Api.Kernel;

namespace Coordination.Api.Alerts;

/// <summary>The problem codes of the alert capability (the web words each one in Vietnamese and English).</summary>
[ProblemCodes]
public static class AlertProblems
{
    /// <summary>The alert is not in the state the move needs; <c>state</c>.</summary>
    public const string AlertState = "alerts.alert.state";
    /// <summary>The alert expired before it was approved.</summary>
    public const string AlertExpired = "alerts.alert.expired";
    /// <summary>The number opted out by SMS; only the number itself can subscribe again. <c>phone</c>, <c>optedOutAt</c>.</summary>
    public const string OptedOut = "alerts.subscriber.opted_out";
    /// <summary>A template with that name exists already; <c>name</c>.</summary>
    public const string TemplateNameTaken = "alerts.template.name_taken";
}
