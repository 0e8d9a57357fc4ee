using ControlPlane.Domain.Topology;
using ControlPlane.Grains.Abstractions.Access;
using ControlPlane.Grains.Access;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Telemetry;

namespace ControlPlane.Grains.Catalogue;

/// <summary>
/// One offer: its description and price from the catalogue file, its lifecycle per region from its
/// own state (the file's initial states until a region is first changed). Not reentrant, so an
/// order's admission and a lifecycle change never interleave.
/// </summary>
public sealed class OfferGrain(
    OfferCatalogue catalogue,
    PlatformTopology topology,
    TimeProvider clock,
    [PersistentState("offer", StorageNames.State)] IPersistentState<OfferGrainState> state) : Grain, IOfferGrain
{
    private OfferInfo Seed => catalogue.Find(this.GetPrimaryKeyString()) ?? throw Failures.OfferNotFound(this.GetPrimaryKeyString());

    public Task<OfferInfo> GetAsync() => Task.FromResult(Current());

    public async Task<OfferInfo> SetStateAsync(string region, OfferState to, string actor, string reason)
    {
        if (await CheckMoveAsync(region, to, actor, reason) is not { } transition) return Current();
        state.State.Regions[region] = to;
        state.State.History.Add(transition);
        await state.PersistAsync(this);
        return Current();
    }

    public async Task<OfferInfo> CheckSetStateAsync(string region, OfferState to, string actor, string reason)
    {
        var current = Current();
        return await CheckMoveAsync(region, to, actor, reason) is { } transition
            ? current with { Regions = current.Regions.SetItem(region, to), History = current.History.Add(transition) }
            : current;
    }

    /// <summary>
    /// The caller's right, a known region piloted from the caller's centre and a move the lifecycle allows: throws the
    /// refusal; else the transition to record, or null when the offer already has that state there.
    /// </summary>
    private async Task<OfferTransition?> CheckMoveAsync(string region, OfferState to, string actor, string reason)
    {
        AccessPolicy.Require(CallerContext.Current, Permission.ManageCatalogue, Scopes.Platform);
        if (topology.FindRegion(region) is null) throw Failures.UnknownRegion("region", region);
        await Guard.PilotAsync(GrainFactory, topology, region);
        var from = Current().StateIn(region);
        if (from == to) return null;
        if (!OfferLifecycle.Allows(from, to))
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.OfferTransitionInvalid,
                $"offer '{Seed.Id}' cannot go from {OfferStates.Name(from)} to {OfferStates.Name(to)} in region '{region}': " +
                "the lifecycle moves one step forward at a time (announced → refactoring → qualification → available → deprecated → retired), or to retired from any state",
                (ErrorMetadata.Offer, Seed.Id), (ErrorMetadata.Region, region), (ErrorMetadata.State, OfferStates.Name(from)), (ErrorMetadata.RequestedState, OfferStates.Name(to))).ToException();
        }
        return new OfferTransition(region, from, to, actor, reason, clock.GetUtcNow());
    }

    public Task AdmitOrderAsync(string region)
    {
        var current = Current().StateIn(region);
        if (current != OfferState.Available)
        {
            throw DomainError.Of(ErrorStatus.FailedPrecondition, ErrorReasons.OfferNotAvailable,
                $"offer '{Seed.Id}' is {OfferStates.Name(current)} in region '{region}': only available offers can be ordered",
                (ErrorMetadata.Offer, Seed.Id), (ErrorMetadata.Region, region), (ErrorMetadata.State, OfferStates.Name(current))).ToException();
        }
        return Task.CompletedTask;
    }

    private OfferInfo Current()
    {
        var seed = Seed;
        return seed with
        {
            Regions = seed.Regions.SetItems(state.State.Regions),
            History = [.. state.State.History],
        };
    }
}
