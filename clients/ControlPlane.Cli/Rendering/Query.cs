using System.Text.Json.Nodes;

namespace ControlPlane.Cli.Rendering;

/// <summary>--query: a JMESPath expression over the JSON form of a result.</summary>
public static class Query
{
    private static readonly DevLab.JmesPath.JmesPath Engine = new();

    /// <exception cref="QueryException">The expression is not valid JMESPath.</exception>
    public static JsonNode? Apply(JsonNode? node, string expression)
    {
        try
        {
            return JsonNode.Parse(Engine.Transform(node?.ToJsonString() ?? "null", expression));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new QueryException($"--query '{expression}': {e.Message}");
        }
    }
}
