using ControlPlane.Grains.Abstractions.Access;
using Google.Protobuf.WellKnownTypes;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Principals, roles, approvals and lockbox grants ↔ proto. Enum values are equal on both sides.</summary>
public static class SecurityMapper
{
    public static V1.Principal ToProto(this PrincipalRecord p) => new()
    {
        Id = p.Id, Kind = (V1.PrincipalKind)(int)p.Kind, DisplayName = p.DisplayName, Employer = p.Employer, OpsCentre = p.OpsCentre,
        RegisteredAt = Timestamp.FromDateTimeOffset(p.RegisteredAt), RegisteredBy = p.RegisteredBy,
    };

    public static V1.RoleAssignment ToProto(this RoleAssignment a) => new()
    {
        Principal = a.Principal, Role = (V1.Role)(int)a.Role, Scope = a.Scope,
        AssignedAt = Timestamp.FromDateTimeOffset(a.AssignedAt), AssignedBy = a.AssignedBy,
    };

    public static V1.AccessEntry ToProto(this AccessEntry e)
    {
        var proto = new V1.AccessEntry { Principal = e.Principal, Role = (V1.Role)(int)e.Role, Scope = e.Scope, Condition = e.Condition };
        proto.Allows.AddRange(e.Allows.Split(',', StringSplitOptions.RemoveEmptyEntries));
        return proto;
    }

    public static V1.Approval ToProto(this ApprovalInfo a)
    {
        var proto = new V1.Approval
        {
            Id = a.Id, Action = (V1.ApprovalAction)(int)a.Action, Target = a.Target, Justification = a.Justification, Requester = a.Requester,
            RequestedAt = Timestamp.FromDateTimeOffset(a.RequestedAt), State = (V1.ApprovalState)(int)a.State, Approver = a.Approver,
            ExpiresAt = Timestamp.FromDateTimeOffset(a.ExpiresAt),
        };
        if (a.DecidedAt is { } decided) proto.DecidedAt = Timestamp.FromDateTimeOffset(decided);
        if (a.UsedAt is { } used) proto.UsedAt = Timestamp.FromDateTimeOffset(used);
        if (a.GrantDuration > TimeSpan.Zero) proto.GrantDuration = Duration.FromTimeSpan(a.GrantDuration);
        return proto;
    }

    public static V1.AccessGrant ToProto(this AccessGrant g)
    {
        var proto = new V1.AccessGrant
        {
            Id = g.Id, TenantId = g.TenantId, Principal = g.Principal, Justification = g.Justification,
            RequestedAt = Timestamp.FromDateTimeOffset(g.RequestedAt), Duration = Duration.FromTimeSpan(g.Duration),
            State = (V1.AccessGrantState)(int)g.State, DecidedBy = g.DecidedBy, BreakGlass = g.BreakGlass, ApprovalId = g.ApprovalId,
            NeedsReview = g.NeedsReview, ReviewedBy = g.ReviewedBy,
        };
        if (g.DecidedAt is { } decided) proto.DecidedAt = Timestamp.FromDateTimeOffset(decided);
        if (g.ExpiresAt is { } expires) proto.ExpiresAt = Timestamp.FromDateTimeOffset(expires);
        return proto;
    }

    /// <summary>Null for UNSPECIFIED or an unknown value.</summary>
    public static Role? ToModel(this V1.Role role) => System.Enum.IsDefined((Role)(int)role) ? (Role)(int)role : null;
}
