using System.Text.Json;
using ControlPlane.Contracts.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1Alpha;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// A client that is not ours finds the API, its comments and its error details through server reflection alone (buf curl, no
/// .proto file of ours), and reads the machine-readable error metadata.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class GenericClientTests(HostFixture host)
{
    [Fact]
    public async Task Buf_curl_reads_a_failed_operations_error_info_as_json_with_numbers_in_their_own_keys()
    {
        await host.CreateTenantAsync("buf-quota", Api.Res(4, 16), "france-centre");
        var refused = await Api.FailsAsync(() => host.CreateInstanceAsync("buf-quota", "big", "Standard_D8s_v5", requestId: "buf-quota-1"),
            Grpc.Core.StatusCode.ResourceExhausted, "QUOTA_EXCEEDED");
        var operationId = refused.Info.Metadata["operation_id"];

        var result = await BufCurl.CallAsync(host.Endpoint, "controlplane.v1.Provisioning/GetOperation", $$"""{"id":"{{operationId}}"}""");

        Assert.True(result.ExitCode == 0, $"buf curl exited {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("OPERATION_STATE_FAILED", json.RootElement.GetProperty("state").GetString());
        var detail = json.RootElement.GetProperty("error").GetProperty("details").EnumerateArray().Single();
        Assert.Equal("type.googleapis.com/google.rpc.ErrorInfo", detail.GetProperty("@type").GetString());
        Assert.Equal("QUOTA_EXCEEDED", detail.GetProperty("reason").GetString());
        var metadata = detail.GetProperty("metadata");
        long Number(string key) => long.Parse(metadata.GetProperty(key).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(8, Number("requested_cores"));
        Assert.Equal(32768, Number("requested_memory_mib"));
        Assert.Equal(0, Number("requested_gpus"));
        Assert.Equal(4, Number("quota_cores"));
        Assert.Equal(16384, Number("quota_memory_mib"));
        Assert.Equal(0, Number("usage_cores"));
        Assert.Equal("cores", metadata.GetProperty("dimension").GetString());
    }

    [Fact]
    public async Task Buf_curl_gets_every_violation_of_a_request_in_one_answer_with_error_info_and_bad_request()
    {
        var result = await BufCurl.CallAsync(host.Endpoint, "controlplane.v1.Provisioning/CreateInstance",
            """{"requestId":"buf-bad-1","tenantId":"Not A Tenant","name":"-web","size":"Standard_Z99","region":"mars"}""");

        Assert.True(result.ExitCode == 8 * (int)Grpc.Core.StatusCode.InvalidArgument, $"buf curl exited {result.ExitCode}: {result.Stderr}");
        // buf curl prints a failed call's details as type and base64 (it resolves error details only in responses, as above).
        using var json = JsonDocument.Parse(result.Stderr);
        var details = json.RootElement.GetProperty("details").EnumerateArray()
            .ToDictionary(d => d.GetProperty("type").GetString()!, d => Convert.FromBase64String(Padded(d.GetProperty("value").GetString()!)));
        Assert.Equal("INVALID_ARGUMENT", Google.Rpc.ErrorInfo.Parser.ParseFrom(details["google.rpc.ErrorInfo"]).Reason);
        var fields = Google.Rpc.BadRequest.Parser.ParseFrom(details["google.rpc.BadRequest"]).FieldViolations.Select(v => v.Field).ToHashSet();
        Assert.Superset(new HashSet<string> { "tenant_id", "name", "size", "region" }, fields);
    }

    [Fact]
    public async Task A_reflection_only_client_reads_a_failed_calls_error_info_and_bad_request_as_json()
    {
        var result = await ReflectionClient.CallAsync(host.Endpoint, "controlplane.v1.Provisioning/CreateInstance",
            """{"requestId":"generic-bad-1","tenantId":"Not A Tenant","name":"-web","size":"Standard_Z99","region":"mars"}""");

        Assert.True(result.ExitCode == 8 * (int)Grpc.Core.StatusCode.InvalidArgument, $"the client exited {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stderr);
        var details = json.RootElement.GetProperty("details").EnumerateArray().ToDictionary(d => d.GetProperty("@type").GetString()!);
        Assert.Equal("INVALID_ARGUMENT", details["type.googleapis.com/google.rpc.ErrorInfo"].GetProperty("reason").GetString());
        var fields = details["type.googleapis.com/google.rpc.BadRequest"].GetProperty("fieldViolations").EnumerateArray()
            .ToDictionary(v => v.GetProperty("field").GetString()!, v => v.GetProperty("description").GetString()!);
        Assert.Equal(new HashSet<string> { "tenant_id", "name", "size", "region" }, fields.Keys.ToHashSet());
        Assert.Contains("Standard_Z99", fields["size"]);
    }

    [Fact]
    public async Task A_reflection_only_client_reads_a_refusals_error_info_metadata_as_json()
    {
        await host.CreateTenantAsync("generic-quota", Api.Res(4, 16), "france-centre");

        var result = await ReflectionClient.CallAsync(host.Endpoint, "controlplane.v1.Provisioning/CreateInstance",
            """{"requestId":"generic-quota-1","tenantId":"generic-quota","name":"big","size":"Standard_D8s_v5","region":"france-centre"}""");

        Assert.True(result.ExitCode == 8 * (int)Grpc.Core.StatusCode.ResourceExhausted, $"the client exited {result.ExitCode}: {result.Stderr}");
        using var json = JsonDocument.Parse(result.Stderr);
        var info = json.RootElement.GetProperty("details").EnumerateArray()
            .Single(d => d.GetProperty("@type").GetString() == "type.googleapis.com/google.rpc.ErrorInfo");
        Assert.Equal("QUOTA_EXCEEDED", info.GetProperty("reason").GetString());
        Assert.Equal("8", info.GetProperty("metadata").GetProperty("requested_cores").GetString());
        Assert.Equal("4", info.GetProperty("metadata").GetProperty("quota_cores").GetString());
    }

    [Fact]
    public async Task Reflection_serves_the_error_details_and_the_proto_comments()
    {
        var diagnostics = await FileContainingAsync("controlplane.v1.Diagnostics");
        var errorDetails = await FileContainingAsync("google.rpc.ErrorInfo");

        var file = FileDescriptorProto.Parser.ParseFrom(diagnostics.FileDescriptorProto[0]);
        Assert.Equal("controlplane/v1/diagnostics.proto", file.Name);
        Assert.Contains(file.SourceCodeInfo.Location, l => l.LeadingComments.Contains("Diagnostics of the gateway itself", StringComparison.Ordinal));
        Assert.Contains("google/rpc/error_details.proto", file.Dependency);
        var names = errorDetails.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b)).ToList();
        var details = Assert.Single(names, f => f.Name == "google/rpc/error_details.proto");
        Assert.Contains(details.MessageType, m => m.Name == "BadRequest");
        Assert.Contains(details.MessageType, m => m.Name == "RetryInfo");
    }

    private async Task<FileDescriptorResponse> FileContainingAsync(string symbol)
    {
        using var call = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = symbol });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, call.ResponseStream.Current.MessageResponseCase);
        return call.ResponseStream.Current.FileDescriptorResponse;
    }

    /// <summary>buf prints base64 without padding.</summary>
    private static string Padded(string base64) => base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
}
