namespace Coordination.Api.MutualAid;

/// <summary>A notification's sentence, in Vietnamese and in English.</summary>
public readonly record struct NotificationText(string Vi, string En);

/// <summary>
/// Every sentence mutual aid tells officials, in both languages, in one place (the handlers and the escalation
/// scan say which one and with what; they build no sentence themselves).
/// </summary>
public static class NotificationTexts
{
    static readonly Dictionary<string, (string Vi, string En)> UrgencyWords = new()
    {
        [Urgency.LifeThreatening] = ("nguy hiểm đến tính mạng", "life-threatening"), [Urgency.Urgent] = ("khẩn cấp", "urgent"), [Urgency.Needed] = ("cần thiết", "needed"),
    };

    /// <summary>What one needs to say a quantity of a type in both languages.</summary>
    public sealed record TypeWords(string NameVi, string NameEn, string UnitVi, string UnitEn)
    {
        public static TypeWords Of(ResourceType t) => new(t.NameVi, t.NameEn, t.UnitVi, t.UnitEn);
    }

    // ------------------------------------------------------------------ someone above the commune acted for it

    /// <summary>To the commune a commander, operator or administrator acted for, naming the person.</summary>
    public static NotificationText OnBehalf(string actor, string communeName, NotificationText what) =>
        new($"{actor} đã thay mặt xã {communeName}: {what.Vi}", $"{actor}, on behalf of {communeName}: {what.En}");

    // ------------------------------------------------------------------ requests

    /// <summary>To the command above the commune, as a request opens.</summary>
    public static NotificationText RequestOpened(string communeName, AidRequest r) =>
        new($"Xã {communeName} gửi yêu cầu hỗ trợ #{r.Id} ({UrgencyWords[r.Urgency].Vi}) tại {r.Hamlet}.",
            $"{communeName} opened request #{r.Id} ({UrgencyWords[r.Urgency].En}) at {r.Hamlet}.");

    /// <summary>What was done to a request when it opened, closed or was cancelled (said on the commune's behalf).</summary>
    public static NotificationText RequestStatusChanged(string to, int id, string hamlet)
    {
        var (didVi, didEn) = to switch
        {
            RequestStatus.Open => ("mở", "opened"), RequestStatus.Closed => ("đóng", "closed"), _ => ("hủy", "cancelled"),
        };
        return new($"{didVi} yêu cầu #{id} ({hamlet}).", $"{didEn} request #{id} ({hamlet}).");
    }

    /// <summary>The amendment itself: a line added.</summary>
    public static NotificationText LineAdded(int quantity, TypeWords t) =>
        new($"thêm {quantity} {t.UnitVi} {t.NameVi}", $"added {Notify.En(quantity, t.UnitEn, t.NameEn)}");

    /// <summary>The amendment itself: a line's quantity changed.</summary>
    public static NotificationText LineChanged(int from, int to, TypeWords t) =>
        new($"{t.NameVi}: {from} → {to} {t.UnitVi}", $"{t.NameEn}: {from} → {to}");

    /// <summary>To the command above the commune: an open request was amended.</summary>
    public static NotificationText RequestAmended(string communeName, AidRequest r, NotificationText what) =>
        new($"Xã {communeName} bổ sung yêu cầu #{r.Id} ({r.Hamlet}): {what.Vi}.", $"{communeName} amended request #{r.Id} ({r.Hamlet}): {what.En}.");

    /// <summary>To the commune, when the command amended its request.</summary>
    public static NotificationText RequestAmendedForCommune(int id, NotificationText what) =>
        new($"bổ sung yêu cầu #{id}: {what.Vi}.", $"amended request #{id}: {what.En}.");

    /// <summary>To the command (the province among it): the request was passed up.</summary>
    public static NotificationText RequestEscalatedToCommand(int id, string communeName, string hamlet) =>
        new($"Khu vực phòng thủ đề nghị tỉnh hỗ trợ yêu cầu #{id} của xã {communeName} ({hamlet}).",
            $"The defense-area command escalated request #{id} of {communeName} ({hamlet}) to the province.");

    /// <summary>To the commune: its request was passed up.</summary>
    public static NotificationText RequestEscalatedToCommune(int id) =>
        new($"Yêu cầu #{id} đã được chuyển lên tỉnh.", $"Request #{id} has been passed to the province.");

    // ------------------------------------------------------------------ pledges

    /// <summary>To the donor: it is asked.</summary>
    public static NotificationText PledgeAsked(string requesterName, string donorName, int quantity, TypeWords t, string hamlet, int requestId) =>
        new($"Xã {requesterName} đề nghị xã {donorName} hỗ trợ {quantity} {t.UnitVi} {t.NameVi} cho {hamlet} (yêu cầu #{requestId}).",
            $"{requesterName} asks {donorName} for {Notify.En(quantity, t.UnitEn, t.NameEn)} for {hamlet} (request #{requestId}).");

    /// <summary>To the requesting commune, when the command asked the donor for it.</summary>
    public static NotificationText PledgeAskedForCommune(string donorName, int quantity, TypeWords t, int requestId) =>
        new($"đề nghị xã {donorName} hỗ trợ {quantity} {t.UnitVi} {t.NameVi} (yêu cầu #{requestId}).",
            $"asked {donorName} for {Notify.En(quantity, t.UnitEn, t.NameEn)} (request #{requestId}).");

    /// <summary>
    /// To the other side of a move: <paramref name="n"/> is what moves (the accepted quantity, or what was accepted
    /// before), <paramref name="asked"/> what was asked.
    /// </summary>
    public static NotificationText PledgeMoved(PledgeMove move, int n, int asked, TypeWords t, string requesterName, string donorName, int requestId) => move switch
    {
        PledgeMove.Accept => new($"Xã {donorName} nhận hỗ trợ {n}/{asked} {t.UnitVi} {t.NameVi} (yêu cầu #{requestId}).",
            $"{donorName} accepted {n} of {Notify.En(asked, t.UnitEn, t.NameEn)} (request #{requestId})."),
        PledgeMove.Decline => new($"Xã {donorName} không thể hỗ trợ {t.NameVi} (yêu cầu #{requestId}).",
            $"{donorName} declined {t.NameEn} (request #{requestId})."),
        PledgeMove.Dispatch => new($"Xã {donorName} đã xuất phát: {n} {t.UnitVi} {t.NameVi} đang trên đường (yêu cầu #{requestId}).",
            $"{donorName} dispatched {Notify.En(n, t.UnitEn, t.NameEn)} (request #{requestId})."),
        PledgeMove.Arrive => new($"{n} {t.UnitVi} {t.NameVi} của xã {donorName} đã đến xã {requesterName}.",
            $"{Notify.En(n, t.UnitEn, t.NameEn)} from {donorName} arrived in {requesterName}."),
        PledgeMove.Return => new($"Xã {donorName} đã nhận lại {n} {t.UnitVi} {t.NameVi}.", $"{donorName} has its {Notify.En(n, t.UnitEn, t.NameEn)} back."),
        PledgeMove.Consume => new($"Xã {requesterName} ghi nhận đã sử dụng {n} {t.UnitVi} {t.NameVi} (để bồi hoàn).",
            $"{requesterName} recorded {Notify.En(n, t.UnitEn, t.NameEn)} as consumed (for compensation)."),
        _ => new($"Xã {requesterName} đã rút đề nghị hỗ trợ {t.NameVi} (yêu cầu #{requestId}).",
            $"{requesterName} withdrew its ask for {t.NameEn} (request #{requestId})."),
    };

    /// <summary>To the requester and its command: an ask went unanswered; with the next suggested donor, if any.</summary>
    public static NotificationText PledgeEscalated(string donorName, string typeVi, string typeEn, int minutes, int requestId, Suggestion? next)
    {
        var nextVi = next is null ? "chưa có gợi ý khác trong tỉnh — cân nhắc đề nghị lên tỉnh" : $"gợi ý tiếp theo: xã {next.DonorName} ({next.ReasonVi})";
        var nextEn = next is null ? "no other suggestion in the province — consider escalating to the province" : $"next suggestion: {next.DonorName} ({next.ReasonEn})";
        return new($"Xã {donorName} chưa trả lời đề nghị hỗ trợ {typeVi} sau {minutes} phút (yêu cầu #{requestId}); {nextVi}.",
            $"{donorName} has not answered the ask for {typeEn} after {minutes} min (request #{requestId}); {nextEn}.");
    }
}
