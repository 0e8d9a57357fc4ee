namespace ControlPlane.IntegrationTests;

/// <summary>The checkout the tests were built from, and the build outputs of its projects.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ControlPlane.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ControlPlane.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// A silo project's own build output, in the tests' configuration: its settings are its own there (a test's output folder
    /// holds the appsettings.json of whichever referenced project was copied last).
    /// </summary>
    public static string Built(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var bin = Path.Combine(Root(), "silos", project, "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(bin, project + ".dll")) ? bin
            : throw new InvalidOperationException($"{project} is not built at {bin}; run 'dotnet build ControlPlane.sln' first");
    }
}
