using System.Collections.Concurrent;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Faults.Hostile;

/// <summary>
/// Hostile requests for the fault campaign, sent over raw byte marshallers as any client could: malformed protobuf (invalid
/// UTF-8, truncated, bad varint, deep nesting, wrong wire types) to every unary method of the API, 1 MiB fields, NUL and
/// control characters, unknown enum values, and request_ids reused with another body. Every answer must be a documented
/// status with an ErrorInfo (or OK); see <see cref="HostileReport"/> for what counts as a violation. No malformed body parses,
/// so none reaches a method as an empty request. The run creates a tenant "hostile-XXXXXXXX" and, for the reused
/// request_ids, one small instance per pair in it: the credentials must allow that.
/// </summary>
public static class HostileRequests
{
    private const int Concurrency = 8;
    private const int MiB = 1 << 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    /// <param name="invoker">A channel to one gateway (TLS and credentials as the caller has them).</param>
    /// <param name="headers">The metadata of each call (a token), asked anew for every call.</param>
    /// <param name="count">How many requests to send; a reused request_id counts as two.</param>
    public static async Task<HostileReport> RunAsync(CallInvoker invoker, Func<Metadata> headers, int count, CancellationToken cancellationToken)
    {
        var statuses = new ConcurrentDictionary<string, int>();
        var violations = new ConcurrentQueue<string>();
        var run = Guid.NewGuid().ToString("N")[..8];
        var target = await TargetAsync(invoker, headers, run, cancellationToken);
        var (malformed, fields) = Cases(target, run);

        void Record(string name, Answer answer)
        {
            statuses.AddOrUpdate(answer.Key, 1, (_, n) => n + 1);
            if (answer.Violation is { } violation) violations.Enqueue($"{name}: {violation}");
        }

        // One slot in ten reuses a request_id (two requests), one in three is a field case, the others malformed bytes.
        var work = new List<Func<Task>>();
        for (int planned = 0, slot = 0, m = 0, f = 0; planned < count; slot++)
        {
            if (slot % 10 == 9 && planned + 2 <= count)
            {
                var n = slot;
                work.Add(() => ReusedRequestIdAsync(invoker, headers, target, $"hostile-{run}-r{n}", n, Record, cancellationToken));
                planned += 2;
                continue;
            }
            var hostile = slot % 3 == 2 ? fields[f++ % fields.Count] : malformed[m++ % malformed.Count];
            var i = slot;
            work.Add(async () => Record(hostile.Name, await CallAsync(invoker, headers, hostile.Service, hostile.Method, hostile.Body(i), cancellationToken)));
            planned++;
        }
        using var gate = new SemaphoreSlim(Concurrency);
        await Task.WhenAll(work.Select(async item =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                await item();
            }
            finally
            {
                gate.Release();
            }
        }));
        return new HostileReport(new Dictionary<string, int>(statuses), [.. violations]);
    }

    /// <summary>Where valid requests go: a tenant of this run in a production region, and the smallest size without GPU.</summary>
    private sealed record Target(string Tenant, string Region, string Size);

    private static async Task<Target> TargetAsync(CallInvoker invoker, Func<Metadata> headers, string run, CancellationToken cancellationToken)
    {
        var options = new CallOptions(headers(), DateTime.UtcNow.Add(Deadline), cancellationToken);
        var regions = (await new Topology.TopologyClient(invoker).ListRegionsAsync(new ListRegionsRequest(), options)).Regions
            .Where(r => r.Role == RegionRole.Production && r.Zones.Count > 0).Select(r => r.Id).ToList();
        var region = regions.Contains("france-centre") ? "france-centre" : regions.FirstOrDefault() ?? "france-centre";
        var size = (await new Topology.TopologyClient(invoker).ListSizesAsync(new ListSizesRequest(), options.WithHeaders(headers()))).Sizes
            .Where(s => s.GpuModel.Length == 0).OrderBy(s => s.Resources.Cores).ThenBy(s => s.Resources.MemoryMib).Select(s => s.Name)
            .FirstOrDefault() ?? "Standard_D2s_v5";
        var tenant = $"hostile-{run}";
        await new Tenants.TenantsClient(invoker).CreateTenantAsync(new CreateTenantRequest
        {
            Id = tenant, DisplayName = "hostile requests", AllowedRegions = { region },
            Quota = new Resources { Cores = 1_000_000, MemoryMib = 1_000_000_000, Gpus = 0 },
        }, options.WithHeaders(headers()));
        return new Target(tenant, region, size);
    }

    /// <returns>Every malformed body to every unary method, in a fixed shuffled order; and the cases of odd fields.</returns>
    private static (List<HostileCase> Malformed, List<HostileCase> Fields) Cases(Target target, string run)
    {
        var huge = new string('a', MiB);
        CreateInstanceRequest Create(int i) => new()
        {
            RequestId = $"hostile-{run}-c{i}", TenantId = target.Tenant, Name = $"h{i}", Size = target.Size, Region = target.Region,
        };
        HostileCase Creating(string name, Func<CreateInstanceRequest, CreateInstanceRequest> change) =>
            new(name, "Provisioning", "CreateInstance", i => change(Create(i)).ToByteArray());

        var malformed = new (string Name, Func<byte[]> Body)[]
        {
            ("truncated", MalformedBodies.Truncated), ("bad varint", MalformedBodies.BadVarint),
            ("deep nesting", () => MalformedBodies.DeepNesting()), ("invalid wire type", MalformedBodies.InvalidWireType),
            ("unmatched end group", MalformedBodies.UnmatchedEndGroup),
        };
        var methods = GatewayMethods.Unary().Select(m => (Service: m.Service.Name, Method: m.Name)).ToList();
        var shuffle = new Random(20261203);
        var bytes = methods.SelectMany(m => malformed.Select(b => new HostileCase($"{b.Name} to {m.Service}/{m.Method}", m.Service, m.Method, _ => b.Body())))
            .OrderBy(_ => shuffle.Next()).ToList();
        List<HostileCase> fields =
        [
            Creating("1 MiB tenant_id", r => { r.TenantId = huge; return r; }),
            Creating("1 MiB zone", r => { r.Zone = huge; return r; }),
            Creating("1 MiB size", r => { r.Size = huge; return r; }),
            Creating("1 MiB region", r => { r.Region = huge; return r; }),
            Creating("1 MiB request_id", r => { r.RequestId = huge; return r; }),
            Creating("NUL in tenant_id", r => { r.TenantId = target.Tenant + "\0x"; return r; }),
            Creating("control characters in name", r => { r.Name = "vm\u0007\u001b[31m\r\n"; return r; }),
            Creating("NUL in zone", r => { r.Zone = "\0"; return r; }),
            Creating("newline in region", r => { r.Region = target.Region + "\n"; return r; }),
            Creating("unknown enum value", r => { r.AntiAffinityGroup = "g"; r.AntiAffinityScope = (AntiAffinityScope)99; return r; }),
            // Invalid UTF-8 is malformed only in a string field the type knows; elsewhere it is an unknown field and the message parses.
            new("invalid UTF-8 in tenant_id", "Provisioning", "CreateInstance", i => [.. Create(i).ToByteArray(), .. MalformedBodies.InvalidUtf8TenantId()]),
            new("1 MiB tenant id", "Tenants", "GetTenant", _ => new GetTenantRequest { Id = huge }.ToByteArray()),
            new("control characters in an operation id", "Provisioning", "GetOperation", _ => new GetOperationRequest { Id = "op-\u0001\u007f" }.ToByteArray()),
            new("1 MiB zone filter", "Topology", "ListServers", _ => new ListServersRequest { Zone = huge }.ToByteArray()),
        ];
        return (bytes, fields);
    }

    /// <summary>One request_id, two bodies: the first may be accepted, the second must never be.</summary>
    private static async Task ReusedRequestIdAsync(CallInvoker invoker, Func<Metadata> headers, Target target, string requestId, int i,
        Action<string, Answer> record, CancellationToken cancellationToken)
    {
        var first = new CreateInstanceRequest { RequestId = requestId, TenantId = target.Tenant, Name = $"d{i}", Size = target.Size, Region = target.Region };
        var second = first.Clone();
        second.Name = $"d{i}-other";
        var accepted = await CallAsync(invoker, headers, "Provisioning", "CreateInstance", first.ToByteArray(), cancellationToken);
        record("reused request_id (first body)", accepted);
        var again = await CallAsync(invoker, headers, "Provisioning", "CreateInstance", second.ToByteArray(), cancellationToken);
        record("reused request_id (second body)", accepted.Code == StatusCode.OK && again.Code == StatusCode.OK
            ? again with { Violation = $"request_id {requestId} accepted for two different bodies" }
            : again);
    }

    /// <param name="Key">"Code" or "Code/REASON".</param>
    private sealed record Answer(StatusCode Code, string Key, string? Violation);

    private static async Task<Answer> CallAsync(CallInvoker invoker, Func<Metadata> headers, string service, string method, byte[] body,
        CancellationToken cancellationToken)
    {
        var call = new Method<byte[], byte[]>(MethodType.Unary, $"controlplane.v1.{service}", method, Raw, Raw);
        try
        {
            await invoker.AsyncUnaryCall(call, null, new CallOptions(headers(), DateTime.UtcNow.Add(Deadline), cancellationToken), body);
            return new Answer(StatusCode.OK, nameof(StatusCode.OK), null);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Judge(e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Answer(StatusCode.Unknown, "TransportFailure", $"the call failed outside gRPC: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The status a hostile request got, and what is wrong with it, if anything.</summary>
    private static Answer Judge(RpcException e)
    {
        var info = e.GetRpcStatus()?.GetDetail<ErrorInfo>();
        var key = info is null ? e.StatusCode.ToString() : $"{e.StatusCode}/{info.Reason}";
        string? violation = e.StatusCode switch
        {
            StatusCode.Unknown or StatusCode.Internal => $"{e.StatusCode} \"{Short(e.Status.Detail)}\"",
            StatusCode.Cancelled or StatusCode.DeadlineExceeded => null,
            _ when e.Status.DebugException is not null => $"{e.StatusCode}: transport failure {e.Status.DebugException.GetType().Name}: {Short(e.Status.DebugException.Message)}",
            _ when info is null => $"{e.StatusCode} without an ErrorInfo: \"{Short(e.Status.Detail)}\"",
            _ when e.Status.Detail.Length > HostileReport.MaxMessageLength => $"{key}: a message of {e.Status.Detail.Length} characters",
            _ => null,
        };
        return new Answer(e.StatusCode, key, violation);
    }

    private static string Short(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
