using System.Text;

namespace ControlPlane.Silo;

/// <summary>
/// Where Orleans' ADO.NET grain storage keeps a grain's state in OrleansStorage: its hashes, numeric key parts and
/// strings, computed as that provider computes them (Orleans 10.4.2: AdoGrainKey and StableHash), so that a row written
/// by <see cref="PostgresWriteBatcher"/> is the row the provider reads and clears, and the other way round.
/// </summary>
public readonly record struct GrainRowKey(int GrainIdHash, long GrainIdN0, long GrainIdN1, int GrainTypeHash, string GrainTypeString,
    string? GrainIdExtensionString, string ServiceId)
{
    /// <summary>The row of <paramref name="stateName"/> (a plain name, as every ControlPlane grain declares) of <paramref name="grainId"/>.</summary>
    public static GrainRowKey Of(string serviceId, string stateName, GrainId grainId)
    {
        long n0 = 0, n1 = 0;
        string? text;
        byte[]? numeric = null;
        if (grainId.TryGetGuidKey(out var guid, out text))
        {
            numeric = guid.ToByteArray();
            (n0, n1) = (BitConverter.ToInt64(numeric, 0), BitConverter.ToInt64(numeric, 8));
        }
        else if (grainId.TryGetIntegerKey(out var integer, out text))
        {
            numeric = BitConverter.GetBytes(integer);
            n1 = integer;
        }
        else
        {
            text = grainId.Key.ToString();
        }
        var hashed = numeric is null ? Encoding.UTF8.GetBytes(text!) : text is null ? numeric : [.. numeric, .. Encoding.UTF8.GetBytes(text)];
        if (BitConverter.IsLittleEndian) Array.Reverse(hashed);
        return new GrainRowKey((int)StableHash.ComputeHash(hashed), n0, n1, (int)StableHash.ComputeHash(Encoding.UTF8.GetBytes(stateName)),
            stateName, text, serviceId);
    }
}
