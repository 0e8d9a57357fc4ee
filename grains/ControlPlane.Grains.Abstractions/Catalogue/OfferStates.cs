namespace ControlPlane.Grains.Abstractions.Catalogue;

/// <summary>The names of offer states as the API, the CLI and errors show them ("available", "not-offered").</summary>
public static class OfferStates
{
    public static string Name(OfferState state) => state == OfferState.NotOffered ? "not-offered" : state.ToString().ToLowerInvariant();
}
