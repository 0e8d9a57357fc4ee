namespace ControlPlane.Faults.Load;

/// <summary>
/// What the load offers: <paramref name="Rate"/> requests a second, of which <paramref name="DeleteShare"/>
/// delete an instance whose create has succeeded; creates of <paramref name="Size"/> spread over the
/// tenants and regions; each request retried with its own id on the next gateway while it is
/// unanswered or UNAVAILABLE, for up to <paramref name="RetryFor"/>, each attempt bounded by <paramref name="AttemptDeadline"/>.
/// </summary>
public sealed record LoadPlan(
    string RunId,
    double Rate,
    IReadOnlyList<string> Tenants,
    IReadOnlyList<string> Regions,
    string Size = "Standard_D2s_v5",
    double DeleteShare = 0.2,
    TimeSpan RetryFor = default,
    TimeSpan AttemptDeadline = default)
{
    public TimeSpan RetryBudget => RetryFor == default ? TimeSpan.FromSeconds(60) : RetryFor;
    public TimeSpan Deadline => AttemptDeadline == default ? TimeSpan.FromSeconds(10) : AttemptDeadline;
}
