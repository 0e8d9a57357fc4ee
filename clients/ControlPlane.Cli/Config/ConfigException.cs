namespace ControlPlane.Cli.Config;

/// <summary>The configuration file or a context named in it cannot be used: a usage error.</summary>
public sealed class ConfigException(string message) : Exception(message);
