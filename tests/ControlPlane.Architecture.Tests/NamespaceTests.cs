using System.Text.RegularExpressions;

namespace ControlPlane.Architecture.Tests;

/// <summary>Namespace = project + folder, so that a <c>using</c> line shows the arrow it draws.</summary>
public sealed partial class NamespaceTests
{
    [Fact]
    public void Every_source_file_is_in_the_namespace_of_its_folder()
    {
        var wrong = new List<string>();
        foreach (var top in new[] { "grains", "silos", "clients", "benchmarks", "tests" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Solution.Root, top), "*.cs", SearchOption.AllDirectories))
            {
                var parts = Path.GetRelativePath(Path.Combine(Solution.Root, top), file).Split(Path.DirectorySeparatorChar);
                if (parts.Contains("obj") || parts.Contains("bin")) continue;
                if (Namespace().Match(File.ReadAllText(file)) is not { Success: true } declared) continue;
                var expected = string.Join('.', parts[..^1]);
                if (declared.Groups[1].Value != expected) wrong.Add($"{top}/{string.Join('/', parts)}: {declared.Groups[1].Value}, expected {expected}");
            }
        }
        Assert.Empty(wrong);
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Namespace();
}
