using System.Reflection;
using System.Text;
using ControlPlane.Silo;
using Orleans.Storage;

namespace ControlPlane.IntegrationTests;

/// <summary>
/// The batched writes reach the rows Orleans' ADO.NET grain storage reads and clears: the same hashes and key parts as the
/// provider computes, for every kind of grain key, and as found in a database it wrote.
/// </summary>
public sealed class GrainRowKeyTests
{
    public static TheoryData<string> Keys => new()
    {
        "string:t-first", "string:op-b091fd895c872449a7d4", "string:fr-centre-1-r001-s01", "string:é+ünicode#1", "integer:48", "integer:-7",
        "integer:12+ext", "guid:6f9619ff-8b86-d011-b42d-00c04fc964ff", "guid:00000000-0000-0000-0000-000000000001+ext",
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Each_key_gets_the_providers_hashes_and_key_parts(string key)
    {
        var grainId = Grain(key);

        var row = GrainRowKey.Of("controlplane", "operation", grainId);

        var provider = ProviderKey(grainId);
        Assert.Equal(
            (new OrleansDefaultHasher().Hash(provider.HashBytes), provider.N0, provider.N1, provider.Text, new OrleansDefaultHasher().Hash(Encoding.UTF8.GetBytes("operation"))),
            (row.GrainIdHash, row.GrainIdN0, row.GrainIdN1, row.GrainIdExtensionString, row.GrainTypeHash));
    }

    [Theory]
    [InlineData("tenant", "string:t-first", 1860135676, 780449982, 0L, 0L)]
    [InlineData("server", "string:fr-centre-1-r001-s01", 858093927, 1857811222, 0L, 0L)]
    [InlineData("operation", "string:op-b091fd895c872449a7d4", 1910655303, 434782663, 0L, 0L)]
    [InlineData("tenants", "integer:48", -1282321345, 246394088, 0L, 48L)]
    public void Rows_the_provider_wrote_are_found(string stateName, string key, int idHash, int typeHash, long n0, long n1)
    {
        var row = GrainRowKey.Of("controlplane", stateName, Grain(key));

        Assert.Equal((idHash, typeHash, n0, n1), (row.GrainIdHash, row.GrainTypeHash, row.GrainIdN0, row.GrainIdN1));
    }

    private static GrainId Grain(string key)
    {
        var type = GrainType.Create("test");
        var (kind, value) = (key[..key.IndexOf(':')], key[(key.IndexOf(':') + 1)..]);
        var extension = kind != "string" && value.Contains('+') ? value[(value.IndexOf('+') + 1)..] : null;
        var main = extension is null ? value : value[..value.IndexOf('+')];
        return kind switch
        {
            "integer" => GrainId.Create(type, GrainIdKeyExtensions.CreateIntegerKey(long.Parse(main), extension)),
            "guid" => GrainId.Create(type, GrainIdKeyExtensions.CreateGuidKey(Guid.Parse(main), extension)),
            _ => GrainId.Create(type, value),
        };
    }

    /// <summary>What the provider itself derives from a grain id (its internal AdoGrainKey), read by reflection.</summary>
    private static (byte[] HashBytes, long N0, long N1, string? Text) ProviderKey(GrainId grainId)
    {
        var derive = typeof(AdoNetGrainStorage).GetMethod("GrainIdAndExtensionAsString", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("the ADO.NET provider no longer derives its key as this test expects: check GrainRowKey against it");
        var key = derive.Invoke(null, [grainId])!;
        T Get<T>(string property) => (T)key.GetType().GetProperty(property)!.GetValue(key)!;
        return ((byte[])key.GetType().GetMethod("GetHashBytes")!.Invoke(key, null)!, Get<long>("N0Key"), Get<long>("N1Key"), Get<string?>("StringKey"));
    }
}
