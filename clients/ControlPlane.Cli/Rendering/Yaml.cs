using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace ControlPlane.Cli.Rendering;

/// <summary>The same data as the JSON output, written as YAML.</summary>
public static class Yaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();

    /// <remarks>Read back from its text first: every value is then a JSON element, whatever .NET type built it.</remarks>
    public static string Write(JsonNode? node) => Serializer.Serialize(Plain(JsonNode.Parse(node?.ToJsonString() ?? "null"))).TrimEnd('\n');

    private static object? Plain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : v.TryGetValue<ulong>(out var u) ? u : v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
