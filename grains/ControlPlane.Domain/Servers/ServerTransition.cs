namespace ControlPlane.Domain.Servers;

/// <summary>
/// What a lifecycle command does to a server in a given state: nothing (it is there already), a change
/// to <see cref="To"/> (only once the server holds no instance when <see cref="RequiresEmpty"/>), or a
/// refusal that says why (<see cref="Refusal"/>, e.g. "cannot be cordoned: commission it first").
/// </summary>
public sealed record ServerTransition(ServerLifecycle? To, bool RequiresEmpty, string Refusal)
{
    public static ServerTransition Unchanged { get; } = new(null, false, "");

    public static ServerTransition Change(ServerLifecycle to, bool requiresEmpty = false) => new(to, requiresEmpty, "");

    public static ServerTransition Refuse(string wanted, string hint) => new(null, false, $"cannot be {wanted}: {hint}");

    public bool IsRefused => Refusal.Length > 0;
}
