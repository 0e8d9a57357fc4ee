using System.Text.RegularExpressions;

namespace ControlPlane.Grains.Abstractions.Errors;

/// <summary>Syntax rules for identifiers, shared by the gateway and the grains.</summary>
public static partial class Validate
{
    public const int MaxPageSize = 1000;
    public const int DefaultPageSize = 100;

    [GeneratedRegex(@"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?\z")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z")]
    private static partial Regex RequestIdRegex();

    /// <summary>Tenant ids and instance names: DNS-label style, 1 to 63 characters.</summary>
    public static string? Name(string field, string? value) =>
        string.IsNullOrEmpty(value) ? $"{field} is required"
        : NameRegex().IsMatch(value) ? null
        : $"{field} '{Truncate(value)}' must be 1 to 63 lower-case letters, digits or '-', start with a letter and not end with '-'";

    /// <summary>A request's tenant_id: a <see cref="Name"/>, required unless <paramref name="optional"/>.</summary>
    public static (string Field, string? Problem) TenantId(string? value, bool optional = false) =>
        (ErrorMetadata.TenantId, optional && string.IsNullOrEmpty(value) ? null : Name(ErrorMetadata.TenantId, value));

    public static string? RequestId(string field, string? value) =>
        string.IsNullOrEmpty(value) ? $"{field} is required (an idempotency key chosen by the caller)"
        : RequestIdRegex().IsMatch(value) ? null
        : $"{field} must be 1 to 128 characters of A-Z a-z 0-9 . _ : -";

    /// <summary>Ids the control plane issued (instances, operations, servers, zones): non-empty and sane.</summary>
    public static string? Id(string field, string? value) =>
        string.IsNullOrEmpty(value) ? $"{field} is required"
        : RequestIdRegex().IsMatch(value) ? null
        : $"{field} '{Truncate(value)}' is not a valid id";

    [GeneratedRegex(@"^[A-Za-z0-9._@:+-]{1,128}\z")]
    private static partial Regex PrincipalRegex();

    /// <summary>Principal ids: a token's subject ("alice@operator.example") or "svc:" and a certificate's CN.</summary>
    public static string? Principal(string field, string? value) =>
        string.IsNullOrEmpty(value) ? $"{field} is required"
        : PrincipalRegex().IsMatch(value) ? null
        : $"{field} '{Truncate(value)}' must be 1 to 128 characters of A-Z a-z 0-9 . _ @ : + -";

    public static string? PageSize(string field, int value) =>
        value is < 0 or > MaxPageSize ? $"{field} must be between 0 and {MaxPageSize}" : null;

    /// <summary>Throws InvalidArgument listing every violation, or returns.</summary>
    /// <summary>What the catalogue and topology say of a request's size, region and zone: one text, from the gateway or the grain.</summary>
    public static string UnknownSize(string size) => $"size '{size}' does not exist; see ListSizes";

    public static string UnknownRegion(string region) => $"region '{region}' does not exist";

    public static string UnknownZone(string zone) => $"zone '{zone}' does not exist";

    public static string ZoneNotInRegion(string zone, string zoneRegion, string region) => $"zone '{zone}' is in region '{zoneRegion}', not '{region}'";

    public static void ThrowIfAny(params (string Field, string? Problem)[] checks)
    {
        var violations = checks.Where(c => c.Problem is not null)
            .Select(c => new FieldViolation(c.Field, c.Problem!)).ToList();
        if (violations.Count > 0)
        {
            throw DomainError.BadRequest(ErrorReasons.InvalidArgument,
                string.Join("; ", violations.Select(v => v.Description)), violations).ToException();
        }
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
