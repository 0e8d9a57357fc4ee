using System.Text.RegularExpressions;
using ControlPlane.Grains.Storage;
using Npgsql;
using Orleans.Storage;

namespace ControlPlane.Silo;

/// <summary>
/// The durable mode's batch read of grain states: the rows the ADO.NET grain storage wrote for string-keyed grains of one
/// state name, in one query, decoded with the same serializer (deploy/sql/schema.sql keeps an index for the servers').
/// </summary>
public sealed partial class PostgresGrainStateBatchReader(NpgsqlDataSource db, IGrainStorageSerializer serializer, SiloHostOptions options)
    : IGrainStateBatchReader
{
    public async Task<IReadOnlyDictionary<GrainId, T>?> ReadAsync<T>(string stateName, IReadOnlyCollection<GrainId> grains, CancellationToken cancellationToken = default)
    {
        // A literal, so that a partial index on one state name applies; only names as the grains declare them.
        if (!StateName().IsMatch(stateName)) throw new ArgumentException($"state name '{stateName}' is not a plain identifier", nameof(stateName));
        var byKey = grains.ToDictionary(g => g.Key.ToString()!, StringComparer.Ordinal);
        await using var command = db.CreateCommand(
            $"SELECT GrainIdExtensionString, PayloadBinary FROM OrleansStorage " +
            $"WHERE GrainTypeString = '{stateName}' AND ServiceId = @service AND GrainIdExtensionString = ANY(@keys) AND PayloadBinary IS NOT NULL");
        command.Parameters.AddWithValue("service", options.ServiceId);
        command.Parameters.AddWithValue("keys", byKey.Keys.ToArray());
        var found = new Dictionary<GrainId, T>(grains.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!byKey.TryGetValue(reader.GetString(0), out var grain)) continue;
            if (serializer.Deserialize<T>(new BinaryData((byte[])reader[1])) is { } state) found[grain] = state;
        }
        return found;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex StateName();
}
