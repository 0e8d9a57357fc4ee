using System.Collections;
using System.Security.Cryptography;
using System.Text;
using ControlPlane.Contracts.Security;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit.Abstractions;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// Throws 10,000 malformed and unauthorised requests, built from the API's own descriptors, at every
/// method of the gateway: none is answered INTERNAL (or any status a client cannot act on), none
/// changes state, and every denial is in the audit log.
/// </summary>
[Collection(SecureHostCollection.Name)]
public sealed class GatewayFuzzTests(SecureHostFixture host, ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const int Concurrency = 16;
    private const int Seed = 20261128;

    private static readonly string[] Strings =
    [
        "", " ", "a", "tenant-1", "UPPER", "../../etc/passwd", new('x', 300), "é🙂", "\0", "region:france-centre", "platform",
        "tenant:", "fr-centre-1-r001-s01", "france-centre", "france-sud", "fr-centre-1", "svc:tooling", "so-1", "op-idf-1",
        "'; DROP TABLE audit_log; --", "apr-000001", "lbx-x-0001", "Standard_D2s_v5", "paas-postgresql", "i-0000", "op-0000",
        new('é', 5000), "tenant:fuzz", "-1", "9223372036854775808",
    ];

    private static readonly StatusCode[] Actionable =
    [
        StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.AlreadyExists, StatusCode.FailedPrecondition,
        StatusCode.PermissionDenied, StatusCode.ResourceExhausted, StatusCode.Unauthenticated, StatusCode.Unavailable,
    ];

    [Fact]
    public async Task Ten_thousand_malformed_or_unauthorised_requests_change_nothing_and_every_denial_is_audited()
    {
        var methods = Faults.Hostile.GatewayMethods.All();
        var credentials = Credentials();
        var before = await StateAsync();
        var lastSequence = await LastAuditSequenceAsync();

        var started = System.Diagnostics.Stopwatch.StartNew();
        var statuses = new Dictionary<StatusCode, int>();
        var unexpected = new List<string>();
        var random = new Random(Seed);
        var reads = methods.Where(m => !Gateway.Errors.AuditInterceptor.IsChange($"/{m.Service.FullName}/{m.Name}")).ToList();
        var work = Enumerable.Range(0, Requests).Select(_ =>
        {
            var credential = credentials[random.Next(credentials.Count)];
            var method = credential.ReadsOnly ? reads[random.Next(reads.Count)] : methods[random.Next(methods.Count)];
            return (Method: method, Credential: credential, Seed: random.Next());
        }).ToList();
        using var gate = new SemaphoreSlim(Concurrency);
        await Task.WhenAll(work.Select(async w =>
        {
            await gate.WaitAsync();
            try
            {
                var body = RandomMessage(w.Method.InputType, new Random(w.Seed), depth: 0).ToByteArray();
                var code = await CallAsync(w.Method, w.Credential.Invoker, body);
                lock (statuses)
                {
                    statuses[code] = statuses.GetValueOrDefault(code) + 1;
                    if (!Actionable.Contains(code) && code != StatusCode.OK) unexpected.Add($"{w.Method.FullName} as {w.Credential.Name}: {code}");
                    if (code == StatusCode.OK && !w.Credential.MayRead) unexpected.Add($"{w.Method.FullName} as {w.Credential.Name}: OK");
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        output.WriteLine($"seed {Seed}, {Requests} requests over {methods.Count} methods: " +
            string.Join(", ", statuses.OrderByDescending(s => s.Value).Select(s => $"{s.Key} {s.Value}")));
        Assert.Empty(unexpected);
        Assert.Equal(before, await StateAsync());

        var denials = statuses.GetValueOrDefault(StatusCode.PermissionDenied) + statuses.GetValueOrDefault(StatusCode.Unauthenticated);
        Assert.True(denials > Requests * 3 / 4, $"only {denials} denials");
        var seconds = started.Elapsed.TotalSeconds;
        // Unauthenticated calls are recorded within a budget; the next one recorded (this one, once the budget
        // has refilled) says how many were left out: every denial is either recorded or counted.
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        Assert.Equal(StatusCode.Unauthenticated, await CallAsync(methods[0], host.Channel.CreateCallInvoker(), []));
        var audited = await DeniedSinceAsync(lastSequence);
        output.WriteLine($"{audited.Recorded} denials recorded ({audited.Anonymous} unauthenticated), {audited.LeftOut} unauthenticated calls counted, not recorded");
        Assert.Equal(denials + 1, audited.Recorded + audited.LeftOut);
        Assert.InRange(audited.Anonymous, 1, (seconds + 2) * Gateway.Errors.AnonymousAuditBudget.PerSecond);
        var verification = await new Contracts.V1.Audit.AuditClient(host.As("aud-1")).VerifyAuditLogAsync(new VerifyAuditLogRequest());
        Assert.True(verification.Valid, verification.Message);
    }

    /// <param name="MayRead">Some reads answer (the caller's own identity, or an auditor reading).</param>
    /// <param name="ReadsOnly">A principal allowed to read: given only reads, with malformed fields.</param>
    private sealed record Credential(string Name, CallInvoker Invoker, bool MayRead = false, bool ReadsOnly = false);

    private List<Credential> Credentials()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return
        [
            new("none", host.Channel.CreateCallInvoker()),
            new("garbage token", host.WithToken("eyJhbGciOi.garbage.token")),
            new("foreign key", host.WithToken(LocalTokens.Mint(otherKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromHours(1)), now))),
            new("expired", host.WithToken(LocalTokens.Mint(host.SigningKey, new TokenClaims("so-1", "FR", true, TimeSpan.FromMinutes(1)), now.AddHours(-2)))),
            new("unregistered", host.As("fuzz-stranger")),
            new("vendor while sealed", host.As("vendor-1")),
            // Registered, no role: only WhoAmI, Ping and questions about itself answer.
            new("no role", host.As("nobody"), MayRead: true),
            new("auditor", host.As("aud-1"), MayRead: true, ReadsOnly: true),
        ];
    }

    private static async Task<StatusCode> CallAsync(MethodDescriptor method, CallInvoker invoker, byte[] body)
    {
        var marshaller = Marshallers.Create(b => b, b => b);
        var call = new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, marshaller, marshaller);
        try
        {
            await invoker.AsyncUnaryCall(call, null, new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)), body);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    /// <summary>A message of <paramref name="type"/> with every field set to something odd.</summary>
    private static IMessage RandomMessage(MessageDescriptor type, Random random, int depth)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InDeclarationOrder())
        {
            if (field.IsMap || random.Next(4) == 0) continue;
            if (field.IsRepeated)
            {
                var list = (IList)field.Accessor.GetValue(message);
                for (var i = random.Next(4); i > 0; i--)
                {
                    if (RandomValue(field, random, depth) is { } item) list.Add(item);
                }
            }
            else if (RandomValue(field, random, depth) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static object? RandomValue(FieldDescriptor field, Random random, int depth) => field.FieldType switch
    {
        FieldType.String => Strings[random.Next(Strings.Length)],
        FieldType.Bool => random.Next(2) == 0,
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => new[] { 0, 1, -1, 2, 1000, int.MaxValue, int.MinValue, random.Next() }[random.Next(8)],
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => new[] { 0L, 1L, -1L, long.MaxValue, long.MinValue, random.NextInt64() }[random.Next(6)],
        FieldType.UInt32 or FieldType.Fixed32 => (uint)random.Next(),
        FieldType.UInt64 or FieldType.Fixed64 => (ulong)random.NextInt64(),
        FieldType.Double => new[] { 0d, -1d, double.NaN, double.PositiveInfinity, 1e300, random.NextDouble() }[random.Next(6)],
        FieldType.Float => (float)random.NextDouble(),
        FieldType.Bytes => ByteString.CopyFrom(Encoding.UTF8.GetBytes(Strings[random.Next(Strings.Length)])),
        FieldType.Enum => Enum.ToObject(field.EnumType.ClrType, random.Next(-2, 12)),
        FieldType.Message when field.MessageType.FullName is "google.protobuf.Timestamp" or "google.protobuf.Duration" =>
            RandomTime(field.MessageType, random),
        FieldType.Message => depth < 3 ? RandomMessage(field.MessageType, random, depth + 1) : null,
        _ => null,
    };

    /// <summary>Seconds and nanos out of range too: a conversion must not turn them into INTERNAL.</summary>
    private static IMessage RandomTime(MessageDescriptor type, Random random)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        type.FindFieldByName("seconds").Accessor.SetValue(message, new[] { 0L, -1L, 60L, 86_400L * 365 * 20000, long.MaxValue, long.MinValue }[random.Next(6)]);
        type.FindFieldByName("nanos").Accessor.SetValue(message, new[] { 0, -1, 999_999_999, 1_000_000_000, int.MinValue }[random.Next(5)]);
        return message;
    }

    /// <summary>What the fuzz must not change, read by principals allowed to read it.</summary>
    private async Task<string> StateAsync()
    {
        var state = new StringBuilder();
        var tenants = new Contracts.V1.Tenants.TenantsClient(host.As("svc:tooling"));
        for (var token = ""; ;)
        {
            var page = await tenants.ListTenantsAsync(new ListTenantsRequest { PageSize = 1000, PageToken = token });
            foreach (var t in page.Tenants) state.Append($"tenant {t.Id} {t.InstanceCount} {t.Usage};");
            if ((token = page.NextPageToken).Length == 0) break;
        }
        var principals = await new Access.AccessClient(host.As("aud-1")).ListPrincipalsAsync(new ListPrincipalsRequest());
        state.Append($"principals {principals.Principals.Count} assignments {principals.Assignments.Count};");
        var approvals = await new Approvals.ApprovalsClient(host.As("aud-1")).ListApprovalsAsync(new ListApprovalsRequest());
        state.Append(string.Join(",", approvals.Approvals.Select(a => $"{a.Id}:{a.State}")));
        var me = await new Access.AccessClient(host.As("so-1")).WhoAmIAsync(new WhoAmIRequest());
        state.Append($"sealed {me.PlatformSealed};");
        var changes = await new Contracts.V1.Topology.TopologyClient(host.As("aud-1")).ListTopologyChangesAsync(new ListTopologyChangesRequest());
        state.Append($"topology {changes.Changes.Count};");
        var offers = await new Catalog.CatalogClient(host.As("aud-1")).ListOffersAsync(new ListOffersRequest());
        state.Append(string.Join(",", offers.Offers.Select(o => o.ToString())));
        var servers = await new Contracts.V1.Topology.TopologyClient(host.As("aud-1")).ListServersAsync(new ListServersRequest { Zone = "fr-centre-1", PageSize = 1000 });
        state.Append(string.Join(",", servers.Servers.Select(s => $"{s.Id}:{s.Lifecycle}")));
        return state.ToString();
    }

    private async Task<long> LastAuditSequenceAsync()
    {
        var audit = new Contracts.V1.Audit.AuditClient(host.As("aud-1"));
        long last = 0;
        for (var token = ""; ;)
        {
            var page = await audit.ListAuditRecordsAsync(new ListAuditRecordsRequest { PageSize = 1000, PageToken = token });
            if (page.Records.Count > 0) last = page.Records[^1].Sequence;
            if ((token = page.NextPageToken).Length == 0) return last;
        }
    }

    /// <returns>Denials recorded since <paramref name="sequence"/>, how many of them unauthenticated, and how many unauthenticated calls those records say were left out.</returns>
    private async Task<(int Recorded, int Anonymous, long LeftOut)> DeniedSinceAsync(long sequence)
    {
        var audit = new Contracts.V1.Audit.AuditClient(host.As("aud-1"));
        var (recorded, anonymous, leftOut) = (0, 0, 0L);
        for (var token = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture); ;)
        {
            var page = await audit.ListAuditRecordsAsync(new ListAuditRecordsRequest { PageSize = 1000, PageToken = token });
            foreach (var r in page.Records.Where(r => r.Decision == "denied"))
            {
                recorded++;
                if (r.Principal != "unauthenticated") continue;
                anonymous++;
                Assert.Equal("", r.TenantId);
                var note = System.Text.RegularExpressions.Regex.Match(r.Reason, @"\(\+(\d+) unauthenticated calls not recorded\)");
                if (note.Success) leftOut += long.Parse(note.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            if ((token = page.NextPageToken).Length == 0) return (recorded, anonymous, leftOut);
        }
    }
}
