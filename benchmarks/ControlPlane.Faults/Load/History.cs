using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ControlPlane.Faults.Load;

/// <summary>Every request of a scenario, as the client saw it; written as JSON lines.</summary>
public sealed class History
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private readonly ConcurrentQueue<RequestRecord> _requests = new();

    public History(IEnumerable<RequestRecord>? requests = null)
    {
        foreach (var r in requests ?? []) _requests.Enqueue(r);
    }

    public IReadOnlyList<RequestRecord> Requests => [.. _requests];

    public IEnumerable<RequestRecord> Acknowledged => _requests.Where(r => r.Acknowledged);

    public void Add(RequestRecord request) => _requests.Enqueue(request);

    public async Task WriteAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var writer = new StreamWriter(path);
        foreach (var request in _requests.OrderBy(r => r.Sent))
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(request, Json).AsMemory(), cancellationToken);
        }
    }

    public static IReadOnlyList<RequestRecord> Read(string path) =>
        [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<RequestRecord>(l, Json)!)];
}
