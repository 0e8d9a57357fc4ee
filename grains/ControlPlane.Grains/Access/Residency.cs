using ControlPlane.Domain.Residency;
using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Access;

/// <summary>
/// Where a tenant's data may be (SecNumCloud 19.2.b, 12.5.d): in the EU, always; in its country,
/// when its policy names one; its disaster-recovery copies in the country of what they copy, when its
/// policy says so. Checked at tenant creation and again at every placement, against the topology of the day.
/// </summary>
public static class Residency
{
    /// <summary>
    /// Why <paramref name="region"/> cannot hold the tenant's data, or null. <paramref name="creation"/>:
    /// the tenant is being created (REGION_OUTSIDE_EU, REGION_OUTSIDE_COUNTRY), else a placement (RESIDENCY_VIOLATION).
    /// </summary>
    public static DomainError? Problem(TenantSpec spec, RegionSpec region, bool creation = false)
    {
        var problem = ResidencyRules.Check(region, spec.DataCountry);
        if (problem == ResidencyProblem.OutsideEu)
        {
            return DomainError.Of(ErrorStatus.FailedPrecondition, creation ? ErrorReasons.RegionOutsideEu : ErrorReasons.ResidencyViolation,
                $"region '{region.Id}' is in {region.Country}, outside the EU: tenant '{spec.Id}''s data stays in the EU",
                (ErrorMetadata.TenantId, spec.Id), (ErrorMetadata.Region, region.Id), (ErrorMetadata.Country, region.Country));
        }
        if (problem == ResidencyProblem.OutsideCountry)
        {
            return DomainError.Of(ErrorStatus.FailedPrecondition, creation ? ErrorReasons.RegionOutsideCountry : ErrorReasons.ResidencyViolation,
                $"region '{region.Id}' is in {region.Country}: tenant '{spec.Id}''s data stays in {spec.DataCountry}",
                (ErrorMetadata.TenantId, spec.Id), (ErrorMetadata.Region, region.Id), (ErrorMetadata.Country, region.Country), (ErrorMetadata.DataCountry, spec.DataCountry));
        }
        return null;
    }

    /// <summary>Throws when the tenant's data may not be placed in <paramref name="regionId"/> (an unknown region is left to the caller).</summary>
    public static void Require(TenantSpec spec, PlatformTopology topology, string regionId)
    {
        if (topology.FindRegion(regionId) is { } region && Problem(spec, region) is { } problem) throw problem.ToException();
    }

    /// <summary>Why a disaster-recovery copy of an instance of <paramref name="home"/> may not be in <paramref name="dr"/>, or null.</summary>
    public static string? DrProblem(TenantSpec spec, RegionSpec home, RegionSpec dr)
    {
        if (Problem(spec, dr) is { } problem) return problem.Message;
        return !ResidencyRules.DrCountryAllowed(spec.InCountryDr, home, dr)
            ? $"tenant '{spec.Id}' keeps disaster-recovery copies in the country of the instance ({home.Country}); region '{dr.Id}' is in {dr.Country}"
            : null;
    }
}
