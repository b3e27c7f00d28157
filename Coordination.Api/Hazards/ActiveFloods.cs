using System.Linq.Expressions;

namespace Coordination.Api.Hazards;

/// <summary>
/// The one definition of an active flood event: started at or before now and not yet ended. Published for the
/// capabilities that must know (offices flooded now, donors that are affected themselves); SQL uses the @now
/// parameter, LINQ the expression, so the database and C# cannot disagree.
/// </summary>
public static class ActiveFloods
{
    /// <summary>SQL condition: the flood_events row <paramref name="e"/> is active at @now.</summary>
    public static string IsActive(string e) => $"{e}.started_at <= @now AND ({e}.ended_at IS NULL OR {e}.ended_at > @now)";

    /// <summary>SQL scalar: the name of the first active flood event covering the commune <paramref name="communeCode"/> (an SQL expression), or NULL.</summary>
    public static string NameCovering(string communeCode) =>
        $"(SELECT e.name FROM flood_event_communes fc JOIN flood_events e ON e.id = fc.flood_event_id WHERE fc.commune_code = {communeCode} AND {IsActive("e")} ORDER BY e.id LIMIT 1)";

    /// <summary>The rule itself, once: LINQ gets it with <c>now</c> bound, C# gets it compiled once.</summary>
    static readonly Expression<Func<FloodEvent, DateTime, bool>> Rule = (e, now) => e.StartedAt <= now && (e.EndedAt == null || e.EndedAt > now);
    static readonly Func<FloodEvent, DateTime, bool> Compiled = Rule.Compile();

    /// <summary>LINQ: the event is active at <paramref name="now"/>.</summary>
    public static Expression<Func<FloodEvent, bool>> At(DateTime now) =>
        Expression.Lambda<Func<FloodEvent, bool>>(new Bind(Rule.Parameters[1], Expression.Constant(now)).Visit(Rule.Body), Rule.Parameters[0]);

    public static bool IsActiveAt(FloodEvent e, DateTime now) => Compiled(e, now);

    /// <summary>Replaces the <c>now</c> parameter with its value.</summary>
    sealed class Bind(ParameterExpression parameter, Expression value) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? value : base.VisitParameter(node);
    }
}
