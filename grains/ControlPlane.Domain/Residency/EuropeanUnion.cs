namespace ControlPlane.Domain.Residency;

/// <summary>The member states of the European Union (ISO 3166-1 alpha-2): a fact, not a setting.</summary>
public static class EuropeanUnion
{
    public static readonly IReadOnlySet<string> Members = new HashSet<string>(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    };

    public static bool Contains(string country) => Members.Contains(country);
}
