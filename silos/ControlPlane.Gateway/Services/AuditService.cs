using System.Globalization;
using ControlPlane.Gateway.Mapping;
using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>Reading and verifying the audit log; nothing here changes it.</summary>
public sealed class AuditService(IGrainFactory grains) : V1.Audit.AuditBase
{
    public override async Task<V1.ListAuditRecordsResponse> ListAuditRecords(V1.ListAuditRecordsRequest request, ServerCallContext context)
    {
        long after = 0;
        Validate.ThrowIfAny(
            Validate.TenantId(request.TenantId, optional: true),
            ("page_size", Validate.PageSize("page_size", request.PageSize)),
            ("page_token", request.PageToken.Length == 0 || long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out after)
                ? null : "page_token is not one this service returned"));
        var size = request.PageSize == 0 ? Validate.DefaultPageSize : request.PageSize;
        var records = await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).ListAsync(new AuditQuery(
            request.TenantId, request.Principal, ProtoTime.Read("since", request.Since), ProtoTime.Read("until", request.Until), after, size + 1));
        var response = new V1.ListAuditRecordsResponse();
        response.Records.AddRange(records.Take(size).Select(ToProto));
        if (records.Length > size) response.NextPageToken = records[size - 1].Sequence.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    public override async Task<V1.AuditVerification> VerifyAuditLog(V1.VerifyAuditLogRequest request, ServerCallContext context)
    {
        var v = await grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key).VerifyAsync();
        return new V1.AuditVerification
        {
            Valid = v.Valid, Checked = v.Checked, FromSequence = v.FromSequence, BrokenSequence = v.BrokenSequence, Problem = v.Problem, Message = v.Message,
        };
    }

    internal static V1.AuditRecord ToProto(AuditRecord r) => new()
    {
        Sequence = r.Sequence, Time = Timestamp.FromDateTimeOffset(r.Time), Principal = r.Entry.Principal, Role = r.Entry.Role,
        OpsCentre = r.Entry.OpsCentre, Action = r.Entry.Action, Target = r.Entry.Target, TenantId = r.Entry.TenantId,
        Decision = r.Entry.Decision, Reason = r.Entry.Reason, TraceId = r.Entry.TraceId, PreviousHash = r.PreviousHash, Hash = r.Hash,
    };
}
