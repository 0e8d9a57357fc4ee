using System.Text.Json;
using ControlPlane.Model;

namespace ControlPlane.Grains.Tests;

/// <summary>The catalogue's and metering's grain states survive the JSON the durable mode stores (System.Text.Json).</summary>
public sealed class StoredStateTests
{
    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    [Fact]
    public void Offer_and_metering_states_round_trip_through_json()
    {
        var at = DateTimeOffset.Parse("2026-11-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var offer = new OfferGrainState();
        offer.Regions["prod"] = OfferState.Deprecated;
        offer.History.Add(new OfferTransition("prod", OfferState.Available, OfferState.Deprecated, "ops", "end of sale", at));
        var metering = new MeteringState();
        metering.Records["i-1"] = new UsageRecord("i-1", "s4", "prod", at, null);
        metering.Records["i-2"] = new UsageRecord("i-2", "s4", "prod", at, at.AddHours(3));

        var offerBack = RoundTrip(offer);
        var meteringBack = RoundTrip(metering);

        Assert.Equal(OfferState.Deprecated, offerBack.Regions["prod"]);
        Assert.Equal(offer.History, offerBack.History);
        Assert.Equal(metering.Records, meteringBack.Records);
    }
}
