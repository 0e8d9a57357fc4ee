using System.Text.Json;
using System.Text.RegularExpressions;
using ControlPlane.Cli.Tests.Process;
using ControlPlane.IntegrationTests;

namespace ControlPlane.Cli.Tests;

/// <summary>-o table|wide|json|yaml|name|value, --query, paging tokens and errors as a script reads them.</summary>
[Collection(HostCollection.Name)]
public sealed partial class OutputTests : IDisposable
{
    private readonly UserShell _shell = new();

    public OutputTests(HostFixture host) => _shell.Export("CONTROLPLANE_ENDPOINT", host.Endpoint);

    public void Dispose() => _shell.Dispose();

    private async Task<ProcessResult> OkAsync(params string[] args)
    {
        var result = await _shell.RunAsync(args);
        Assert.True(result.Exit == 0, result.ToString());
        return result;
    }

    private async Task<string> TenantWithInstancesAsync(string tenant, int count)
    {
        await OkAsync("tenants", "create", tenant, "--regions", "france-centre", "--cores", "16", "--memory-gib", "64");
        for (var i = 1; i <= count; i++)
            await OkAsync("instances", "create", "--tenant", tenant, "--name", $"web-{i}", "--size", "Standard_D2s_v5", "--region", "france-centre", "--wait");
        return tenant;
    }

    [Fact]
    public async Task Json_has_numbers_as_numbers_and_enums_as_lower_case_words_and_yaml_says_the_same()
    {
        var tenant = await TenantWithInstancesAsync("out-json", 1);
        var created = JsonDocument.Parse((await OkAsync("instances", "list", "--tenant", tenant, "-o", "json")).Out).RootElement;
        var instance = Assert.Single(created.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("nextPageToken").ValueKind);
        Assert.Equal("running", instance.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Number, instance.GetProperty("generation").ValueKind);
        Assert.Equal(2, instance.GetProperty("resources").GetProperty("cores").GetInt64());
        Assert.Equal(8192, instance.GetProperty("resources").GetProperty("memoryMib").GetInt64());

        var operation = JsonDocument.Parse((await OkAsync("operations", "get", instance.GetProperty("operationId").GetString()!, "-o", "json")).Out).RootElement;
        Assert.Equal(("succeeded", "create-instance"), (operation.GetProperty("state").GetString(), operation.GetProperty("kind").GetString()));

        var yaml = (await OkAsync("tenants", "get", tenant, "-o", "yaml")).Out;
        Assert.Contains($"id: {tenant}", yaml);
        Assert.Matches(@"(?m)^\s+cores: 16$", yaml);

        var regions = (await OkAsync("regions")).Out;
        Assert.Contains("production", regions);
        Assert.DoesNotContain("PRODUCTION", regions);
        Assert.Matches(@"\d+ cores, \d+(\.\d)? [TP]iB", regions);
        Assert.Contains("usage:", (await OkAsync("tenants", "get", tenant)).Out);
        Assert.Contains("2 cores, 8 GiB", (await OkAsync("tenants", "get", tenant)).Out);
    }

    [Fact]
    public async Task Query_name_value_and_wide_select_what_a_script_or_a_person_needs()
    {
        var tenant = await TenantWithInstancesAsync("out-query", 2);
        var names = await OkAsync("instances", "list", "--tenant", tenant, "-o", "value", "--query", "items[].name");
        Assert.Equal(["web-1", "web-2"], names.Out.Trim().Split('\n').Order());

        var ids = (await OkAsync("instances", "list", "--tenant", tenant, "-o", "name")).Out.Trim().Split('\n');
        Assert.Equal(2, ids.Length);
        Assert.All(ids, id => Assert.StartsWith("i-", id));
        Assert.Equal(ids[0], (await OkAsync("instances", "get", ids[0], "-o", "name")).Out.Trim());

        var running = await OkAsync("instances", "list", "--tenant", tenant, "--query", "items[?state=='running'] | length(@)");
        Assert.Equal("2", running.Out.Trim());
        var cores = await OkAsync("tenants", "get", tenant, "-o", "value", "--query", "usage.cores");
        Assert.Equal("4", cores.Out.Trim());

        var table = (await OkAsync("instances", "list", "--tenant", tenant)).Out.Split('\n')[0];
        var wide = (await OkAsync("instances", "list", "--tenant", tenant, "-o", "wide")).Out.Split('\n')[0];
        Assert.DoesNotContain("CREATED", table);
        Assert.Contains("CREATED", wide);

        var bad = await _shell.RunAsync("instances", "list", "--tenant", tenant, "--query", "items[?");
        Assert.Equal(ExitCodes.Usage, bad.Exit);
        Assert.Contains("--query", bad.Err);
        Assert.Equal(ExitCodes.Usage, (await _shell.RunAsync("regions", "-o", "xml")).Exit);
    }

    [Fact]
    public async Task A_list_cut_by_limit_prints_the_next_page_token_and_the_command_that_resumes()
    {
        var tenant = await TenantWithInstancesAsync("out-pages", 3);
        var first = JsonDocument.Parse((await OkAsync("instances", "list", "--tenant", tenant, "--limit", "2", "-o", "json")).Out).RootElement;
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var token = first.GetProperty("nextPageToken").GetString()!;
        var rest = JsonDocument.Parse((await OkAsync("instances", "list", "--tenant", tenant, "--page-token", token, "-o", "json")).Out).RootElement;
        Assert.Single(rest.GetProperty("items").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextPageToken").ValueKind);

        var table = await OkAsync("instances", "list", "--tenant", tenant, "--limit", "2");
        Assert.Equal(3, table.Out.Trim().Split('\n').Length);
        var hint = ResumeHint().Match(table.Err);
        Assert.True(hint.Success, table.ToString());
        Assert.Equal($"cpctl instances list --tenant {tenant} --limit 2 --page-token {token}", hint.Groups[1].Value.Trim());
        var resumed = await OkAsync([.. hint.Groups[1].Value.Trim().Split(' ').Skip(1)]);
        Assert.Equal(2, resumed.Out.Trim().Split('\n').Length);
        Assert.DoesNotContain("more items", resumed.Err);
    }

    [Fact]
    public async Task Errors_are_a_json_or_yaml_object_on_stderr_under_those_formats()
    {
        var json = await _shell.RunAsync("instances", "get", "i-nothing", "-o", "json");
        Assert.Equal(ExitCodes.NotFound, json.Exit);
        Assert.Equal("", json.Out);
        var error = JsonDocument.Parse(json.Err).RootElement;
        Assert.Equal(("NOT_FOUND", "INSTANCE_NOT_FOUND", 3), (error.GetProperty("code").GetString(), error.GetProperty("reason").GetString(), error.GetProperty("exitCode").GetInt32()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.Object, error.GetProperty("metadata").ValueKind);

        var invalid = await _shell.RunAsync("tenants", "create", "Bad Id!", "--regions", "france-centre", "--cores", "1", "--memory-gib", "1", "-o", "json");
        Assert.Equal(ExitCodes.Error, invalid.Exit);
        var violations = JsonDocument.Parse(invalid.Err[invalid.Err.IndexOf('{')..]).RootElement.GetProperty("fieldViolations");
        Assert.Contains(violations.EnumerateArray(), v => v.GetProperty("field").GetString() == "id");

        var yaml = await _shell.RunAsync("instances", "get", "i-nothing", "-o", "yaml");
        Assert.Contains("reason: INSTANCE_NOT_FOUND", yaml.Err);
        Assert.Contains("code: NOT_FOUND", yaml.Err);
        var text = await _shell.RunAsync("instances", "get", "i-nothing");
        Assert.StartsWith("error: ", text.Err);
        Assert.Contains("reason: INSTANCE_NOT_FOUND", text.Err);
    }

    [Fact]
    public async Task Usage_errors_are_the_same_error_object_on_stderr_under_json_or_yaml_with_exit_2()
    {
        var usage = new (string Reason, string[] Args)[]
        {
            ("COMMAND_LINE_INVALID", ["instances", "create", "--tenant", "acme", "--name", "web-1", "--region", "france-centre"]),
            ("CONFIG_INVALID", ["--context", "nowhere", "regions", "list"]),
            ("QUERY_INVALID", ["regions", "list", "--query", "items[?"]),
            ("COMMAND_LINE_INVALID", ["events", "list", "--since", "not-a-time"]),
        };
        foreach (var (reason, args) in usage)
        {
            var json = await _shell.RunAsync([.. args, "-o", "json"]);
            Assert.True(json.Exit == ExitCodes.Usage, json.ToString());
            Assert.Equal("", json.Out);
            var error = JsonDocument.Parse(json.Err).RootElement;
            Assert.Equal(("INVALID_ARGUMENT", reason, ExitCodes.Usage), (error.GetProperty("code").GetString(), error.GetProperty("reason").GetString(), error.GetProperty("exitCode").GetInt32()));
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
            Assert.Equal((JsonValueKind.Object, JsonValueKind.Array), (error.GetProperty("metadata").ValueKind, error.GetProperty("fieldViolations").ValueKind));

            var yaml = await _shell.RunAsync([.. args, "-o", "yaml"]);
            Assert.Equal(ExitCodes.Usage, yaml.Exit);
            Assert.Contains($"reason: {reason}", yaml.Err);
            Assert.Contains("code: INVALID_ARGUMENT", yaml.Err);
            Assert.Contains("exitCode: 2", yaml.Err);

            var text = await _shell.RunAsync(args);
            Assert.Equal(ExitCodes.Usage, text.Exit);
            Assert.StartsWith("error: ", text.Err);
            Assert.DoesNotContain("reason:", text.Err);
        }
        var missing = JsonDocument.Parse((await _shell.RunAsync("instances", "create", "--tenant", "acme", "-o", "json")).Err).RootElement;
        Assert.Contains("--size", missing.GetProperty("message").GetString());
        Assert.Contains("cpctl --help", missing.GetProperty("hint").GetString());
    }

    [Fact]
    public async Task Prices_carry_the_currency_s_two_decimals_and_unit_rates_as_many_on_every_row_none_rounded()
    {
        var list = (await OkAsync("catalog", "list", "--region", "france-centre")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = list[0];
        string[] Column(string name, int from = 0)
        {
            var at = header.IndexOf(name + " ", from, StringComparison.Ordinal);
            return [.. list.Skip(1).Select(l => l[at..].Split(' ', 2)[0])];
        }
        var rates = Column("LIST-PRICE").Concat(Column("PRICE", header.IndexOf("MARKUP", StringComparison.Ordinal))).ToList();
        Assert.True(rates.Count >= 2 * (list.Length - 1) && list.Length > 1, string.Join('\n', list));
        // Every rate with the same decimals (at least two), and none rounded: each is the exact price JSON gives.
        var decimals = rates[0].Split('.')[1].Length;
        Assert.True(decimals >= 2, rates[0]);
        Assert.All(rates, p => Assert.Matches($@"^\d+\.\d{{{decimals}}}$", p));
        var json = JsonDocument.Parse((await OkAsync("catalog", "list", "--region", "france-centre", "-o", "json")).Out).RootElement.GetProperty("items");
        var exact = json.EnumerateArray().SelectMany(o => new[] { o.GetProperty("price").GetProperty("listPrice"), o.GetProperty("price").GetProperty("cataloguePrice") })
            .Select(p => decimal.Parse(p.ToString(), System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.All(rates, p => Assert.Contains(decimal.Parse(p, System.Globalization.CultureInfo.InvariantCulture), exact));
        Assert.Contains(exact, p => decimal.Round(p, 4) != p);

        var tenant = await TenantWithInstancesAsync("out-prices", 1);
        await Task.Delay(1_100); // usage counts whole seconds
        var invoice = (await OkAsync("invoice", "--tenant", tenant, "--month", DateTime.UtcNow.ToString("yyyy-MM"))).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var lines = invoice.Skip(1).Where(l => !l.StartsWith("TOTAL ", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(@"^\d+\.\d{2,}$", l[^2]));
        Assert.Single(lines.Select(l => l[^2].Split('.')[1].Length).Distinct());
        Assert.All(lines, l => Assert.Matches(@"^\d+\.\d{2}$", l[^1]));
        Assert.Matches(@"^TOTAL \d+\.\d{2} EUR ", invoice.Single(l => l.StartsWith("TOTAL ", StringComparison.Ordinal)));
    }

    [GeneratedRegex("more items: (.*)")]
    private static partial Regex ResumeHint();
}
