namespace ControlPlane.IntegrationTests;

/// <summary>
/// The fleet and a control plane on the platform as it began: france-centre with fr-centre-1 alone,
/// france-sud with fr-sud-1, both in production (8 general-purpose servers a zone), so that a test
/// can replay how the platform grew to today's.
/// </summary>
public sealed class HistoryFixture : FleetFixture
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cp-history-").FullName;

    public const string FirstDays = """
        {
          "opsCentres": [ { "id": "idf" }, { "id": "rennes" } ],
          "skus": [ { "id": "gp-64", "family": "general-purpose", "cores": 64, "memoryGib": 256 } ],
          "regions": [
            { "id": "france-centre", "displayName": "France Centre", "role": "production", "opsCentre": "idf",
              "zones": [ { "id": "fr-centre-1", "datacentre": "paris-saclay", "racks": [ { "sku": "gp-64", "racks": 2, "serversPerRack": 4 } ] } ] },
            { "id": "france-sud", "displayName": "France Sud", "role": "production", "opsCentre": "rennes",
              "zones": [ { "id": "fr-sud-1", "datacentre": "marseille", "racks": [ { "sku": "gp-64", "racks": 2, "serversPerRack": 4 } ] } ] }
          ]
        }
        """;

    protected override Dictionary<string, string?> SharedSettings()
    {
        var file = Path.Combine(_folder, "history.json");
        File.WriteAllText(file, FirstDays);
        return new() { ["ControlPlane:Topology:File"] = file };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
