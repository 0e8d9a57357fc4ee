namespace ControlPlane.Domain.Residency;

public enum ResidencyProblem
{
    None,
    OutsideEu,
    OutsideCountry,
}
