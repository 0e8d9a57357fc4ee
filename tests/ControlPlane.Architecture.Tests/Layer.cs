namespace ControlPlane.Architecture.Tests;

/// <summary>A project of the solution: where it lives and the assembly it builds.</summary>
public sealed record Layer(string Name, string ProjectDirectory, string AssemblyName)
{
    public string ProjectFile => Path.Combine(ProjectDirectory, Path.GetFileName(ProjectDirectory) + ".csproj");
}
