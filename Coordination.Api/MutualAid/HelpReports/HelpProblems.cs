namespace Coordination.Api.MutualAid.HelpReports;

/// <summary>The problem codes of help reports (the web words each one in Vietnamese and English, help/problems.*.json).</summary>
[ProblemCodes]
public static class HelpProblems
{
    /// <summary>404: no help report with that id; <c>entity</c>, <c>key</c>.</summary>
    public const string NotFound = "aid.help_report.not_found";
    /// <summary>409: the report is no longer open (someone handled, merged or converted it first); <c>helpReportId</c>, <c>state</c>.</summary>
    public const string State = "aid.help_report.state";
}
