using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ControlPlane.Cli.Config;

/// <summary>
/// Where cpctl keeps its contexts: $CPCTL_CONFIG, else $XDG_CONFIG_HOME/cpctl/config.yaml, else
/// ~/.config/cpctl/config.yaml. With none of the three variables set, there is no file (tests run that way).
/// </summary>
public static class ConfigFile
{
    public const string PathVariable = "CPCTL_CONFIG";
    public const string ContextVariable = "CPCTL_CONTEXT";

    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance).Build();

    private static readonly ISerializer Writer = new SerializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build();

    public static string? PathFrom(Func<string, string?> environment)
    {
        if (environment(PathVariable) is { Length: > 0 } explicitPath) return explicitPath;
        if (environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "cpctl", "config.yaml");
        if (environment("HOME") is { Length: > 0 } home) return Path.Combine(home, ".config", "cpctl", "config.yaml");
        return null;
    }

    /// <summary>The configuration at <paramref name="path"/>; an empty one when there is no file.</summary>
    /// <exception cref="ConfigException">The file cannot be read or is not cpctl's YAML.</exception>
    public static CliConfig Load(string? path)
    {
        if (path is null || !File.Exists(path)) return new CliConfig();
        try
        {
            var config = Reader.Deserialize<CliConfig?>(File.ReadAllText(path)) ?? new CliConfig();
            config.Contexts = new SortedDictionary<string, ContextEntry>(config.Contexts ?? [], StringComparer.Ordinal);
            return config;
        }
        catch (Exception e) when (e is YamlException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot read the configuration '{path}': {e.Message}");
        }
    }

    public static void Save(string path, CliConfig config)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, Writer.Serialize(config));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"cannot write the configuration '{path}': {e.Message}");
        }
    }
}
