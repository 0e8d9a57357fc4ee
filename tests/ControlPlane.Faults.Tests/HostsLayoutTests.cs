using ControlPlane.Faults.Cluster;

namespace ControlPlane.Faults.Tests;

/// <summary>
/// The two-centre layout as the campaign reads it from deploy/local/hosts.sh's hosts.env: the centres'
/// addresses, the target's endpoints and database, a free /24, and the nft rules that steer the silo
/// connections between the centres through the delaying proxies.
/// </summary>
public sealed class HostsLayoutTests
{
    private static readonly HostsLayout Layout = new("cf1a2b", "10.142.7", "sync");

    [Fact]
    public void Hosts_env_as_the_script_writes_it_gives_the_layout()
    {
        var layout = HostsLayout.Parse("netns=cp\nnet=10.42.0\nreplication=async\n");

        Assert.Equal(new HostsLayout("cp", "10.42.0", "async"), layout);
        Assert.Equal("cp-rennes", layout.Namespace(HostsLayout.Rennes));
        Assert.Equal("10.42.0.11", layout.Address(HostsLayout.Idf));
        Assert.Equal("10.42.0.21", layout.Address(HostsLayout.Rennes));
        Assert.Equal("10.42.0.1", layout.BridgeAddress);
    }

    [Fact]
    public void Hosts_env_without_the_prefix_or_the_net_is_refused()
    {
        Assert.Throws<FormatException>(() => HostsLayout.Parse("net=10.42.0\n"));
        Assert.Throws<FormatException>(() => HostsLayout.Parse("netns=cp\nnet=\n"));
    }

    [Fact]
    public void A_folder_without_hosts_env_is_the_one_host_cluster()
    {
        var dir = Directory.CreateTempSubdirectory("hosts-layout-");
        try
        {
            Assert.Null(HostsLayout.Read(dir.FullName));
            File.WriteAllText(Path.Combine(dir.FullName, "hosts.env"), "netns=tq\nnet=10.200.3\nreplication=sync\n");
            Assert.Equal(new HostsLayout("tq", "10.200.3", "sync"), HostsLayout.Read(dir.FullName));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Silos_one_and_two_are_in_ile_de_france_and_three_in_rennes()
    {
        Assert.Equal([HostsLayout.Idf, HostsLayout.Idf, HostsLayout.Rennes], Enumerable.Range(1, 3).Select(HostsLayout.CentreOfSilo));
        Assert.Equal(HostsLayout.Idf, HostsLayout.OtherCentre(HostsLayout.Rennes));
    }

    [Fact]
    public void The_target_reaches_each_silo_at_its_centre_and_both_databases_with_the_primary_taken()
    {
        var target = FreePorts.Target(new ClusterScript("/repo", new Dictionary<string, string>()), "/tmp/c", 49432, 3800, Layout);

        Assert.Equal(["https://10.142.7.11:10981/", "https://10.142.7.11:10982/", "https://10.142.7.21:10983/"], target.Endpoints.Select(e => e.ToString()));
        Assert.Equal("http://10.142.7.1:10990/", target.FleetEndpoint.ToString());
        Assert.StartsWith("Host=10.142.7.11,10.142.7.21;Target Session Attributes=primary;", target.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Port=49432;", target.ConnectionString, StringComparison.Ordinal);
        Assert.Equal([14911, 14912, 14913], target.SiloPorts);
        Assert.Same(Layout, target.Hosts);
    }

    [Fact]
    public void The_one_host_target_stays_on_loopback()
    {
        var target = FreePorts.Target(new ClusterScript("/repo", new Dictionary<string, string>()), "/tmp/c", 55432, 0);

        Assert.All(target.Endpoints, e => Assert.Equal("127.0.0.1", e.Host));
        Assert.StartsWith("Host=127.0.0.1;Port=55432;", target.ConnectionString, StringComparison.Ordinal);
        Assert.Equal(Path.Combine("/tmp/c", "pgdata", "postmaster.pid"), target.PostmasterPidFile);
        Assert.Null(target.Hosts);
    }

    [Fact]
    public void The_postmaster_is_the_primary_centres()
    {
        var dir = Directory.CreateTempSubdirectory("hosts-layout-");
        try
        {
            var target = FreePorts.Target(new ClusterScript("/repo", new Dictionary<string, string>()), dir.FullName, 49432, 0, Layout);
            Assert.Equal(Path.Combine(dir.FullName, "pgdata-idf", "postmaster.pid"), target.PostmasterPidFile);
            File.WriteAllText(Path.Combine(dir.FullName, "pg-primary"), "rennes\n");
            Assert.Equal(Path.Combine(dir.FullName, "pgdata-rennes", "postmaster.pid"), target.PostmasterPidFile);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_free_net_avoids_every_address_in_use()
    {
        var first = HostsLayout.FreeNet([], new Random(7));
        Assert.Matches(@"^10\.(1\d\d|2[0-4]\d)\.\d{1,3}$", first);

        // The same draws with the first one's /24 in use: it is passed over.
        var second = HostsLayout.FreeNet([$"{first}.11", "192.0.2.2"], new Random(7));
        Assert.NotEqual(first, second);

        var all = Enumerable.Range(100, 150).SelectMany(x => Enumerable.Range(0, 256).Select(y => $"10.{x}.{y}.1")).ToList();
        Assert.Throws<InvalidOperationException>(() => HostsLayout.FreeNet(all, new Random(7)));
    }

    [Fact]
    public void Delay_rules_steer_only_the_other_centres_silo_ports_to_the_proxies_on_the_bridge()
    {
        var rules = Layout.DelayRules("cpfaults_delay", HostsLayout.Rennes, new Dictionary<int, int> { [14912] = 40002, [14911] = 40001 });

        Assert.Equal("""
            table ip cpfaults_delay {
              chain out {
                type nat hook output priority -100; policy accept;
                ip daddr 10.142.7.11 tcp dport 14911 dnat to 10.142.7.1:40001
                ip daddr 10.142.7.11 tcp dport 14912 dnat to 10.142.7.1:40002
              }
            }

            """, rules);
        Assert.Contains("ip daddr 10.142.7.21 tcp dport 14913 dnat to 10.142.7.1:40003",
            Layout.DelayRules("t", HostsLayout.Idf, new Dictionary<int, int> { [14913] = 40003 }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_campaign_takes_hosts_as_an_option()
    {
        Assert.True(CampaignOptions.Parse(["--hosts", "--scenarios", "partition,delay"]).Hosts);
        Assert.False(CampaignOptions.Parse(["--scenarios", "partition"]).Hosts);
    }
}
