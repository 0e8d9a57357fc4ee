namespace ControlPlane.Cli.Config;

/// <summary>cpctl's configuration file: named contexts and the one in use.</summary>
public sealed class CliConfig
{
    public string? CurrentContext { get; set; }

    public SortedDictionary<string, ContextEntry> Contexts { get; set; } = new(StringComparer.Ordinal);
}
