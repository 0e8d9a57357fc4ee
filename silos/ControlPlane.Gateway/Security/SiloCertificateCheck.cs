namespace ControlPlane.Gateway.Security;

/// <summary>The verdict of <see cref="SiloIdentity.Check"/>: accepted, or refused with the reason a log line gives.</summary>
public sealed record SiloCertificateCheck(bool IsAccepted, string Reason)
{
    public static readonly SiloCertificateCheck Accepted = new(true, "a silo certificate of the operator's CA");

    public static SiloCertificateCheck Refused(string reason) => new(false, reason);
}
