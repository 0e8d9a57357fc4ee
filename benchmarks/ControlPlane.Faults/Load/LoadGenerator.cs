using System.Collections.Concurrent;
using System.Diagnostics;
using ControlPlane.Contracts.V1;
using Google.Rpc;
using Grpc.Core;

namespace ControlPlane.Faults.Load;

/// <summary>
/// An independent client offering paced load: creates at the plan's rate, a share of them replaced by
/// deletes of instances whose create succeeded, each request under a unique request_id, retried with
/// that id on the next gateway while unanswered or UNAVAILABLE. Every request lands in the history.
/// </summary>
public sealed class LoadGenerator(ClusterClients clients, LoadPlan plan, History history, ConcurrentQueue<string> deletable)
{
    /// <summary>
    /// An attempt the server never answered: the client library gave up on the connection (no answer to
    /// its keep-alive ping, the socket refused or reset) and made up a status (INTERNAL or UNAVAILABLE)
    /// that no server sent. Retried like UNAVAILABLE; not an INTERNAL answer of the API.
    /// </summary>
    public const string Unanswered = "UNANSWERED";

    private static readonly StatusCode[] Retried =
    [
        StatusCode.Unavailable, StatusCode.DeadlineExceeded, StatusCode.Internal, StatusCode.Unknown,
        StatusCode.ResourceExhausted, StatusCode.Aborted, StatusCode.Cancelled,
    ];

    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly Random _random = new(plan.RunId.GetHashCode(StringComparison.Ordinal));
    private long _sequence;

    /// <summary>Offers load until <paramref name="stop"/> fires, then waits for the requests in flight (their retries included).</summary>
    public async Task RunAsync(CancellationToken stop, CancellationToken abort)
    {
        var watch = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / plan.Rate);
        for (long tick = 0; !stop.IsCancellationRequested; tick++)
        {
            var due = interval * tick - watch.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            var task = Next(abort);
            _inFlight[task] = 0;
            _ = task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
        await Task.WhenAll(_inFlight.Keys);
    }

    private Task Next(CancellationToken abort)
    {
        var n = Interlocked.Increment(ref _sequence);
        var tenant = plan.Tenants[(int)(n % plan.Tenants.Count)];
        if (_random.NextDouble() < plan.DeleteShare && deletable.TryDequeue(out var victim))
        {
            var delete = new RequestRecord { RequestId = $"{plan.RunId}-d-{n}", Kind = RequestKind.Delete, TenantId = tenant, InstanceId = victim, Sent = DateTimeOffset.UtcNow };
            return SendAsync(delete, (int)n, (client, options) => client.DeleteInstanceAsync(
                new DeleteInstanceRequest { RequestId = delete.RequestId, InstanceId = victim }, options).ResponseAsync, abort);
        }
        var create = new RequestRecord { RequestId = $"{plan.RunId}-c-{n}", Kind = RequestKind.Create, TenantId = tenant, Sent = DateTimeOffset.UtcNow };
        var request = new CreateInstanceRequest
        {
            RequestId = create.RequestId, TenantId = tenant, Name = $"vm-{plan.RunId}-{n}", Size = plan.Size,
            Region = plan.Regions[(int)(n / plan.Tenants.Count % plan.Regions.Count)],
        };
        return SendAsync(create, (int)n, (client, options) => client.CreateInstanceAsync(request, options).ResponseAsync, abort);
    }

    private async Task SendAsync(RequestRecord record, int first, Func<Provisioning.ProvisioningClient, CallOptions, Task<Operation>> call, CancellationToken abort)
    {
        history.Add(record);
        for (var attempt = 0; ; attempt++)
        {
            var gateway = (first + attempt) % clients.Gateways;
            var sent = DateTimeOffset.UtcNow;
            string status;
            string? reason = null;
            string? detail = null;
            try
            {
                var operation = await call(clients.Provisioning(gateway), new CallOptions(deadline: DateTime.UtcNow + plan.Deadline, cancellationToken: abort));
                status = "OK";
                lock (record)
                {
                    record.OperationId = operation.Id;
                    if (record.Kind == RequestKind.Create) record.InstanceId = operation.InstanceId;
                }
            }
            catch (RpcException e) when (!abort.IsCancellationRequested)
            {
                var lost = ConnectionLost(e);
                status = lost ? Unanswered : Name(e.StatusCode);
                reason = ReasonOf(e);
                detail = (lost ? $"{Name(e.StatusCode)} made up by the client: " : "") + e.Status.Detail;
                detail = detail.Length > 240 ? detail[..240] : detail;
            }
            var ended = DateTimeOffset.UtcNow;
            var retry = status != "OK" && IsRetried(status) && ended - record.Sent < plan.RetryBudget;
            lock (record)
            {
                record.Attempts.Add(new Attempt(gateway, sent, ended, status, reason, detail));
                record.Gateway = gateway;
                if (!retry)
                {
                    var definite = status == "OK" || !IsRetried(status);
                    record.Status = definite ? status : RequestRecord.NoAnswer;
                    record.Reason = reason;
                    record.Answered = definite ? ended : null;
                }
            }
            if (!retry) return;
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * (attempt + 1), 2000)), abort);
        }
    }

    private static bool IsRetried(string status) => status == Unanswered || Retried.Any(c => Name(c) == status);

    /// <summary>
    /// Whether the status was made up by the client for a connection that died (its debug exception: a
    /// keep-alive ping unanswered, or a socket error) rather than sent by a server.
    /// </summary>
    public static bool ConnectionLost(RpcException e)
    {
        for (var x = e.Status.DebugException; x is not null; x = x.InnerException)
        {
            if (x is System.Net.Sockets.SocketException || x.Message.Contains("respond to a ping", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>A status code as gRPC spells it (DEADLINE_EXCEEDED).</summary>
    public static string Name(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.NotFound => "NOT_FOUND",
        StatusCode.AlreadyExists => "ALREADY_EXISTS",
        StatusCode.PermissionDenied => "PERMISSION_DENIED",
        StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        StatusCode.OutOfRange => "OUT_OF_RANGE",
        StatusCode.DataLoss => "DATA_LOSS",
        _ => code.ToString().ToUpperInvariant(),
    };

    /// <summary>The ErrorInfo reason the status carries, if any.</summary>
    public static string? ReasonOf(RpcException e)
    {
        try
        {
            return e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return "(unreadable status details)";
        }
    }
}
