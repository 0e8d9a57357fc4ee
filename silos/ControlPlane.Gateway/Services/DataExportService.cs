using ControlPlane.Gateway.Mapping;
using ControlPlane.Gateway.Security;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Abstractions.Audit;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Paging;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Abstractions.Tenants;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Services;

/// <summary>A tenant's data export, four-eyes: the approvals grain checks the caller's approval before anything is read.</summary>
public sealed class DataExportService(IGrainFactory grains, TimeProvider clock) : V1.DataExport.DataExportBase
{
    private const int Page = 1000;

    public override async Task<V1.TenantExport> ExportTenant(V1.ExportTenantRequest request, ServerCallContext context)
    {
        Validate.ThrowIfAny(Validate.TenantId(request.TenantId));
        var tenantId = request.TenantId;
        var tenant = grains.GetGrain<ITenantGrain>(tenantId);
        var info = await tenant.GetAsync();
        var caller = context.GetHttpContext().Items[AuthorizationInterceptor.CallerItem] as Caller;
        var approvals = grains.GetGrain<IApprovalsGrain>(IApprovalsGrain.Key);
        var fourEyes = caller is { IsDevelopment: false };
        if (fourEyes)
        {
            if (request.ApprovalId.Length == 0)
            {
                throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.ApprovalRequired,
                    $"exporting tenant '{tenantId}' needs four-eyes: request an EXPORT_TENANT approval, have a second authorised principal approve it, then repeat with its approval_id",
                    (ErrorMetadata.Action, ApprovalAction.ExportTenant.ToString()), (ErrorMetadata.Target, tenantId)).ToException();
            }
            await approvals.CheckAsync(request.ApprovalId, ApprovalAction.ExportTenant, tenantId);
        }

        var export = new V1.TenantExport { Tenant = info.ToProto(), ExportedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()), ApprovalId = request.ApprovalId };
        for (string? token = null; ;)
        {
            var page = await tenant.ListInstanceIdsAsync(Page, token);
            var instances = await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IInstanceGrain>(id).GetAsync()));
            export.Instances.AddRange(instances.OfType<InstanceInfo>().Select(i => i.ToProto()));
            if ((token = page.NextPageToken) is not { Length: > 0 }) break;
        }
        for (string? token = null; ;)
        {
            var page = await tenant.ListServiceIdsAsync(Page, token);
            var services = await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IServiceGrain>(id).GetAsync()));
            export.Services.AddRange(services.OfType<ServiceInfo>().Select(s => s.ToProto()));
            if ((token = page.NextPageToken) is not { Length: > 0 }) break;
        }
        var audit = grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.Key);
        for (long after = 0; ;)
        {
            var records = await audit.ListAsync(new AuditQuery(tenantId, "", null, null, after, Page));
            export.AuditRecords.AddRange(records.Select(AuditService.ToProto));
            if (records.Length < Page) break;
            after = records[^1].Sequence;
        }
        if (fourEyes) await approvals.MarkUsedAsync(request.ApprovalId);
        return export;
    }
}
