namespace ControlPlane.Bench.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void No_arguments_mean_embedded_with_10000_servers()
    {
        var (options, error) = BenchOptions.Parse([]);

        Assert.Equal("", error);
        Assert.NotNull(options);
        Assert.True(options.IsEmbedded);
        Assert.Equal([10_000], options.Servers);
        Assert.Equal(64, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Duration);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Warmup);
        Assert.Equal(TimeSpan.FromSeconds(360), options.Settle);
        Assert.Equal(1000, options.Tenants);
        Assert.Equal("Standard_D2s_v5", options.Size);
        Assert.False(options.IsMemoryMode);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var (options, _) = BenchOptions.Parse(["--servers", "1000,10000,100_000", "--concurrency", "32", "--duration", "2.5", "--warmup", "0",
            "--settle", "0", "--tenants", "150", "--placement", "region", "--size", "Standard_D4s_v5", "--silo", "/x/ControlPlane.Silo.dll"]);

        Assert.NotNull(options);
        Assert.Equal([1_000, 10_000, 100_000], options.Servers);
        Assert.Equal(32, options.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.Duration);
        Assert.Equal(TimeSpan.Zero, options.Warmup);
        Assert.Equal(TimeSpan.Zero, options.Settle);
        Assert.Equal(150, options.Tenants);
        Assert.True(options.PlaceByRegion);
        Assert.Equal("Standard_D4s_v5", options.Size);
        Assert.Equal("/x/ControlPlane.Silo.dll", options.SiloPath);
    }

    [Fact]
    public void The_tenant_size_mode_runs_against_an_endpoint_too()
    {
        var (options, error) = BenchOptions.Parse(["--target", "endpoint", "--endpoint", "http://h:1,http://h:2", "--tenant-size", "10000"]);

        Assert.Equal("", error);
        Assert.NotNull(options);
        Assert.False(options.IsEmbedded);
        Assert.Equal(10_000, options.TenantSize);
    }

    [Fact]
    public void An_endpoint_target_takes_a_list_of_gateways()
    {
        var (options, _) = BenchOptions.Parse(["--target", "endpoint", "--endpoint", "http://127.0.0.1:7181, http://127.0.0.1:7182", "--silo-pids", "10,11"]);

        Assert.NotNull(options);
        Assert.False(options.IsEmbedded);
        Assert.Equal(["http://127.0.0.1:7181/", "http://127.0.0.1:7182/"], options.Endpoints.Select(e => e.ToString()));
        Assert.Equal([10, 11], options.SiloPids);
    }

    [Fact]
    public void Memory_mode_takes_one_size()
    {
        var (options, _) = BenchOptions.Parse(["--instances", "100000", "--servers", "10000"]);

        Assert.NotNull(options);
        Assert.True(options.IsMemoryMode);
        Assert.Equal(100_000, options.Instances);
    }

    [Theory]
    [InlineData("unknown option '--nope'", "--nope", "1")]
    [InlineData("--concurrency needs a value", "--concurrency")]
    [InlineData("unexpected argument 'x'", "x")]
    [InlineData("--concurrency '0' is not a whole number from 1 to 10000", "--concurrency", "0")]
    [InlineData("--concurrency 'many' is not a whole number from 1 to 10000", "--concurrency", "many")]
    [InlineData("--duration '-1' is not a number of seconds from 1 to 3600", "--duration", "-1")]
    [InlineData("--servers '50' is not a whole number from 100 to 1000000", "--servers", "1000,50")]
    [InlineData("--servers names a size twice", "--servers", "1000,1000")]
    [InlineData("--target is 'cloud'; expected embedded or endpoint", "--target", "cloud")]
    [InlineData("--placement is 'rack'; expected zone or region", "--placement", "rack")]
    [InlineData("--target endpoint needs --endpoint URL[,URL...]", "--target", "endpoint")]
    [InlineData("--endpoint goes with --target endpoint", "--endpoint", "http://127.0.0.1:7181")]
    [InlineData("--endpoint '127.0.0.1:7181' is not an http:// or https:// URL", "--target", "endpoint", "--endpoint", "127.0.0.1:7181")]
    [InlineData("--servers goes with --target embedded (a running cluster has its own topology)", "--target", "endpoint", "--endpoint", "http://h:1", "--servers", "1000")]
    [InlineData("--instances needs --target embedded (it reads the silo's memory)", "--target", "endpoint", "--endpoint", "http://h:1", "--instances", "10")]
    [InlineData("--instances takes one --servers value", "--instances", "10", "--servers", "1000,10000")]
    [InlineData("--tenant-scaling '1000' is not a whole number from 0 to 10000000 above the one before", "--tenant-scaling", "100000,1000")]
    [InlineData("--tenant-scaling and --tenant-size take one --servers value", "--tenant-size", "10", "--servers", "1000,10000")]
    [InlineData("--tenant-scaling needs --target embedded", "--target", "endpoint", "--endpoint", "http://h:1", "--tenant-scaling", "1,2")]
    [InlineData("--instances, --tenant-scaling and --tenant-size are modes: choose one", "--tenant-size", "10", "--instances", "10")]
    [InlineData("--settle '-1' is not a number of seconds from 0 to 3600", "--settle", "-1")]
    [InlineData("--silo-pids goes with --target endpoint (an embedded silo is the tool's own child)", "--silo-pids", "10")]
    [InlineData("--silo-pids 'x' is not a process id", "--target", "endpoint", "--endpoint", "http://h:1", "--silo-pids", "x")]
    [InlineData("--ca-cert '/nowhere/ca.pem' does not exist", "--target", "endpoint", "--endpoint", "https://h:1", "--ca-cert", "/nowhere/ca.pem")]
    [InlineData("--client-cert '/nowhere/c.pem' does not exist", "--target", "endpoint", "--endpoint", "https://h:1", "--client-cert", "/nowhere/c.pem")]
    public void Bad_command_lines_are_refused_with_a_message(string expected, params string[] args)
    {
        var (options, error) = BenchOptions.Parse(args);

        Assert.Null(options);
        Assert.Equal(expected, error);
    }
}
