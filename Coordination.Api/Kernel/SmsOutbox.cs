namespace Coordination.Api.Kernel;

/// <summary>
/// Puts one SMS into the outbox as part of the caller's unit of work: it is saved with the caller's SaveChanges and
/// committed (or not) with the caller's transaction, so a reply or a notification is sent exactly when the change it
/// reports is durable. Published by Alerts (which owns the outbox and its dispatcher) for the other capabilities.
/// </summary>
public interface ISmsOutbox
{
    /// <summary>
    /// Queues <paramref name="text"/> for <paramref name="phone"/> (E.164); kind: what it is ("reply", "notification",
    /// "help_report"); fold: without diacritics (a keypad phone may not show them, and GSM-7 fits 160 characters).
    /// </summary>
    void Enqueue(string phone, string text, string kind, DateTime now, bool fold = false);
}
