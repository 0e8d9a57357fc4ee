using System.Reflection;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Gateway.Tests;

/// <summary>The metadata keys of errors are part of the API: clients read them by name.</summary>
public sealed class ErrorMetadataTests
{
    private static readonly string[] Keys = [.. typeof(ErrorMetadata).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Theory]
    [InlineData(ErrorMetadata.TenantId, "tenant_id")]
    [InlineData(ErrorMetadata.InstanceId, "instance_id")]
    [InlineData(ErrorMetadata.ServiceId, "service_id")]
    [InlineData(ErrorMetadata.ServerId, "server_id")]
    [InlineData(ErrorMetadata.OperationId, "operation_id")]
    [InlineData(ErrorMetadata.Zone, "zone")]
    [InlineData(ErrorMetadata.Region, "region")]
    [InlineData(ErrorMetadata.Size, "size")]
    [InlineData(ErrorMetadata.Offer, "offer")]
    public void Keys_keep_their_spelling(string key, string expected) => Assert.Equal(expected, key);

    [Fact]
    public void Keys_are_distinct_snake_case_words()
    {
        Assert.True(Keys.Length > 40);
        Assert.Equal(Keys.Length, Keys.Distinct(StringComparer.Ordinal).Count());
        Assert.All(Keys, k => Assert.Matches("^[a-z]+(_[a-z]+)*$", k));
    }

    [Fact]
    public void A_zone_refusal_is_keyed_by_its_zone() => Assert.Equal("zone.fr-par-1", ErrorMetadata.ZoneRefusal("fr-par-1"));
}
