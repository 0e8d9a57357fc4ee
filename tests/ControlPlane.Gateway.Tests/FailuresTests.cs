using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Gateway.Tests;

/// <summary>The not-found errors the gateway and the grains share: status, reason, message and metadata.</summary>
public sealed class FailuresTests
{
    [Fact]
    public void An_unknown_operation_is_not_found_by_its_id() => AssertError(Failures.OperationNotFound("op-1"),
        ErrorReasons.OperationNotFound, "operation 'op-1' does not exist", ("operation_id", "op-1"));

    [Fact]
    public void An_unknown_approval_is_not_found_by_its_id() => AssertError(Failures.ApprovalNotFound("apr-1"),
        ErrorReasons.ApprovalNotFound, "approval 'apr-1' does not exist", ("approval_id", "apr-1"));

    [Theory]
    [InlineData("server", ErrorReasons.ServerNotFound)]
    [InlineData("zone", ErrorReasons.ZoneNotFound)]
    [InlineData("instance", ErrorReasons.InstanceNotFound)]
    [InlineData("service", ErrorReasons.ServiceNotFound)]
    public void A_scope_naming_an_unknown_resource_is_not_found_by_the_scope(string kind, string reason) =>
        AssertError(Failures.ScopeNotFound(kind, "x-1", $"{kind}:x-1"), reason, $"{kind} 'x-1' does not exist", ("scope", $"{kind}:x-1"));

    private static void AssertError(ControlPlaneException e, string reason, string message, (string Key, string Value) metadata)
    {
        Assert.Equal(ErrorStatus.NotFound, e.Error.Code);
        Assert.Equal(reason, e.Error.Reason);
        Assert.Equal(message, e.Error.Message);
        Assert.Equal([new KeyValuePair<string, string>(metadata.Key, metadata.Value)], e.Error.Metadata);
    }
}
