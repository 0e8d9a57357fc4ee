using ControlPlane.Gateway.Security;

namespace ControlPlane.Gateway.Tests;

public sealed class SecurityOptionsTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "ControlPlane.sln"))) dir = dir.Parent;
        return dir.FullName;
    }

    [Fact]
    public void The_local_clusters_principals_file_is_valid()
    {
        var options = new SecurityOptions
        {
            Mode = SecurityOptions.Enforced, Jwt = new JwtOptions { Authority = "https://idp.example" },
            BootstrapFile = Path.Combine(Root(), "deploy", "local", "principals.json"),
        };
        Assert.Empty(options.Problems(durable: true));
        var principals = options.AllBootstrap();
        Assert.Contains(principals, p => p.Id == "svc:provisioning" && p.Kind == "service" && p.Roles.SequenceEqual(["tooling@platform"]));
        Assert.Equal(2, principals.Count(p => p.Roles.Contains("security-officer@platform")));
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        var options = new SecurityOptions
        {
            Mode = SecurityOptions.Development, BootstrapFile = "/nowhere/principals.json",
            Bootstrap = [new BootstrapPrincipal { Id = "x", Kind = "robot", Employer = "someone", Roles = ["operator", "king@platform"] }],
        };
        var problems = options.Problems(durable: true).ToList();
        Assert.Contains(problems, p => p.Contains("refused in durable mode"));
        Assert.Contains(problems, p => p.Contains("BootstrapFile"));
        Assert.Contains(problems, p => p.Contains("Kind 'robot'"));
        Assert.Contains(problems, p => p.Contains("Employer 'someone'"));
        Assert.Equal(2, problems.Count(p => p.Contains("is not 'role@scope'")));
        Assert.Contains(new SecurityOptions { Mode = SecurityOptions.Enforced }.Problems(durable: true), p => p.Contains("Jwt:Authority"));
    }
}
