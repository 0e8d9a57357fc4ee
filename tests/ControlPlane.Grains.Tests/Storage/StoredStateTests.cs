using System.Text.Json;
using ControlPlane.Domain.Capacity;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using ControlPlane.Grains.Abstractions.Events;
using ControlPlane.Grains.Abstractions.Instances;
using ControlPlane.Grains.Abstractions.Operations;
using ControlPlane.Grains.Abstractions.Services;
using ControlPlane.Grains.Billing;
using ControlPlane.Grains.Catalogue;
using ControlPlane.Grains.Events;
using ControlPlane.Grains.Operations;
using ControlPlane.Grains.Services;
using ControlPlane.Grains.Storage;
using ControlPlane.Grains.Abstractions.Tenants;

namespace ControlPlane.Grains.Tests.Storage;

/// <summary>The catalogue's, services' and metering's grain states survive the JSON the durable mode stores (System.Text.Json).</summary>
public sealed class StoredStateTests
{
    private static T RoundTrip<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    [Fact]
    public void Pages_of_tenant_instances_and_usage_records_round_trip_through_json()
    {
        var at = DateTimeOffset.Parse("2026-12-05T04:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var instances = new EntryPage<TenantInstance>();
        instances.Entries["i-1"] = new TenantInstance("web-1", new ResourceAmount(4, 16384, 1));
        var records = new EntryPage<UsageRecord>();
        records.Entries["i-1"] = new UsageRecord("i-1", "s4", "prod", at, at.AddHours(2));
        records.Entries["svc-1#2"] = new UsageRecord("svc-1#2", "suite", "prod", at, null) { Seats = 40 };

        Assert.Equal(instances.Entries, RoundTrip(instances).Entries);
        Assert.Equal(records.Entries, RoundTrip(records).Entries);
    }

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
        metering.Records["svc-1#2"] = new UsageRecord("svc-1#2", "suite", "prod", at, null) { Seats = 40 };
        metering.Months["2026-10"] = new(StringComparer.Ordinal) { ["s4"] = 36_000m, ["suite"] = 1_036_800.5m };
        metering.RolledUp.AddRange(["i-0", "svc-0"]);

        var offerBack = RoundTrip(offer);
        var meteringBack = RoundTrip(metering);

        Assert.Equal(OfferState.Deprecated, offerBack.Regions["prod"]);
        Assert.Equal(offer.History, offerBack.History);
        Assert.Equal(metering.Records, meteringBack.Records);
        Assert.Equal(metering.Months["2026-10"], meteringBack.Months["2026-10"]);
        Assert.Equal(metering.RolledUp, meteringBack.RolledUp);
    }

    [Fact]
    public void Service_and_operation_states_round_trip_through_json()
    {
        var at = DateTimeOffset.Parse("2026-11-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var service = new ServiceGrainState
        {
            Service = new ServiceInfo("svc-1", "t", "mail", "suite", OfferKind.OfficeSuite, "prod", 40, ServiceState.Active, ["i-1", "i-2"], at, at, "op-1")
            {
                SeatsVersion = 3,
            },
        };
        var operation = new OperationGrainState
        {
            Operation = new OperationInfo("op-1", "r", OperationKind.OrderService, OperationState.Running, "i-1", "t", null, at, at, null, false)
            {
                InstanceIds = ["i-1", "i-2"],
                ServiceId = "svc-1",
            },
            Service = service.Service,
            Members = [new InstanceInfo("i-1", "t", "svc:mail:1", "s4", new ResourceAmount(4, 4096, 0), "prod", "", "", InstanceState.Provisioning, at, at) { ServiceId = "svc-1" }],
        };

        var serviceBack = RoundTrip(service).Service!;
        var operationBack = RoundTrip(operation);

        Assert.Equal(service.Service.InstanceIds.ToArray(), serviceBack.InstanceIds.ToArray());
        Assert.Equal(3, serviceBack.SeatsVersion);
        Assert.Equal(service.Service with { InstanceIds = serviceBack.InstanceIds }, serviceBack);
        Assert.Equal("svc-1", operationBack.Operation!.ServiceId);
        Assert.Equal(["i-1", "i-2"], operationBack.Operation.InstanceIds.ToArray());
        Assert.Equal("svc-1", operationBack.Members.Single().ServiceId);
        Assert.Equal("svc-1", operationBack.Service!.Id);
    }

    [Fact]
    public void The_event_log_state_round_trips_through_json()
    {
        var at = DateTimeOffset.Parse("2026-11-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var log = new EventLogState { LastSequence = 7 };
        log.Events.Add(new PlatformEvent(7, at.AddMilliseconds(5), PlatformEventKind.OpsCentreTakeover, "rennes", ["idf"], ["france-sud"], "silo-1-idf",
            at, TimeSpan.FromMilliseconds(5)));
        log.Centres["rennes"] = new OpsCentreStanding(true, at, ["idf"]);

        var back = RoundTrip(log);

        Assert.Equal(7, back.LastSequence);
        var e = Assert.Single(back.Events);
        Assert.Equal((7L, PlatformEventKind.OpsCentreTakeover, "rennes", "silo-1-idf", at, TimeSpan.FromMilliseconds(5)),
            (e.Sequence, e.Kind, e.OpsCentre, e.DetectedBy, e.DetectedAt, e.Delay));
        Assert.Equal(["idf"], e.TakenOverBy.ToArray());
        Assert.Equal(["france-sud"], e.Regions.ToArray());
        Assert.Equal((true, at), (back.Centres["rennes"].TakenOver, back.Centres["rennes"].Since));
        Assert.Equal(["idf"], back.Centres["rennes"].TakenOverBy.ToArray());
    }
}
