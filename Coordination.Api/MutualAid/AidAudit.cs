namespace Coordination.Api.MutualAid;

/// <summary>The audit actions of mutual aid (a pledge's moves are written as "pledge.{move}").</summary>
public static class AidAudit
{
    public const string AidRequestFiled = "aid_request.filed", AidRequestStatus = "aid_request.status", AidRequestAmended = "aid_request.amended", PledgeAsked = "pledge.asked",
        InventoryChanged = "inventory.changed", AgreementCreated = "agreement.created", AgreementSigned = "agreement.signed",
        ResourceTypeCreated = "resource_type.created", PledgeEscalated = "pledge.escalated", AidRequestEscalated = "aid_request.escalated";
}
