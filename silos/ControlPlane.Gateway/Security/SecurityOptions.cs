using Microsoft.Extensions.Configuration;

namespace ControlPlane.Gateway.Security;

/// <summary>Authentication of callers (section "ControlPlane:Security"). Validated at start.</summary>
public sealed class SecurityOptions
{
    public const string Section = "ControlPlane:Security";
    public const string Development = "development";
    public const string Enforced = "enforced";

    /// <summary>
    /// "enforced": every call authenticated (token or client certificate). "development": a call without
    /// credentials acts as the development identity, which holds every role; refused in durable mode.
    /// Empty: development in embedded mode, enforced in durable mode.
    /// </summary>
    public string Mode { get; set; } = "";

    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Principals registered at start if missing, with their roles: the first security officer, the tooling's service account.</summary>
    public List<BootstrapPrincipal> Bootstrap { get; set; } = [];

    /// <summary>A JSON file of more such principals, {"principals": [{"Id": …, "Roles": […]}]} (deploy/local/principals.json).</summary>
    public string BootstrapFile { get; set; } = "";

    /// <summary><see cref="Bootstrap"/> and the principals of <see cref="BootstrapFile"/>.</summary>
    public IReadOnlyList<BootstrapPrincipal> AllBootstrap()
    {
        if (BootstrapFile.Length == 0 || !File.Exists(BootstrapFile)) return Bootstrap;
        var file = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(BootstrapFile)).Build();
        return [.. Bootstrap, .. file.GetSection("principals").Get<List<BootstrapPrincipal>>() ?? []];
    }

    public bool IsDevelopment => Mode == Development;

    public IEnumerable<string> Problems(bool durable)
    {
        if (Mode is not (Development or Enforced))
            yield return $"{Section}:Mode is '{Mode}'; expected '{Development}' or '{Enforced}'";
        if (durable && Mode == Development)
            yield return $"{Section}:Mode '{Development}' (a development identity with every role) is refused in durable mode";
        if (Mode == Enforced && Jwt.Authority.Length == 0 && Jwt.SigningKeyFile.Length == 0)
            yield return $"{Section}:Jwt:Authority (the identity provider's OpenID Connect metadata) or {Section}:Jwt:SigningKeyFile (a PEM public key) is required when Mode is '{Enforced}'";
        if (Jwt.SigningKeyFile.Length > 0 && !File.Exists(Jwt.SigningKeyFile))
            yield return $"{Section}:Jwt:SigningKeyFile '{Jwt.SigningKeyFile}' does not exist";
        if (BootstrapFile.Length > 0 && !File.Exists(BootstrapFile))
            yield return $"{Section}:BootstrapFile '{BootstrapFile}' does not exist";
        List<BootstrapPrincipal> principals;
        try
        {
            principals = [.. AllBootstrap()];
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException)
        {
            principals = [];
        }
        foreach (var p in principals)
        {
            foreach (var problem in p.Problems()) yield return $"{Section}:Bootstrap '{p.Id}': {problem}";
        }
    }
}

/// <summary>How bearer tokens are validated (section "ControlPlane:Security:Jwt").</summary>
public sealed class JwtOptions
{
    /// <summary>The identity provider's issuer URL: signing keys come from its OpenID Connect metadata.</summary>
    public string Authority { get; set; } = "";

    /// <summary>Without an authority: a PEM file holding the public key (EC or RSA) or certificate tokens are signed with.</summary>
    public string SigningKeyFile { get; set; } = "";

    public string Issuer { get; set; } = "controlplane-local";

    public string Audience { get; set; } = "controlplane";

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest validity (expiry minus issue time) a token may carry: a stolen token must not serve for years.</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(12);
}

public sealed class BootstrapPrincipal
{
    public string Id { get; set; } = "";
    /// <summary>"person" or "service".</summary>
    public string Kind { get; set; } = "person";
    public string DisplayName { get; set; } = "";
    public string Employer { get; set; } = ControlPlane.Grains.Abstractions.Access.Employers.Operator;
    public string OpsCentre { get; set; } = "";
    /// <summary>"role@scope", e.g. "security-officer@platform", "operator@region:france-centre".</summary>
    public List<string> Roles { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        if (ControlPlane.Grains.Abstractions.Errors.Validate.Principal("Id", Id) is { } id) yield return id;
        if (Kind is not ("person" or "service")) yield return $"Kind '{Kind}' is not 'person' or 'service'";
        if (!ControlPlane.Grains.Abstractions.Access.Employers.IsKnown(Employer)) yield return $"Employer '{Employer}' is not 'operator' or 'vendor'";
        foreach (var role in Roles)
        {
            var parts = role.Split('@', 2);
            if (parts.Length != 2 || ControlPlane.Grains.Abstractions.Access.Caller.ParseRole(parts[0]) is null || !ControlPlane.Grains.Abstractions.Access.Scopes.IsValid(parts[1]))
                yield return $"role '{role}' is not 'role@scope' (roles: operator, tooling, tenant-admin, auditor, security-officer; scopes: platform, region:<id>, tenant:<id>)";
        }
    }
}
