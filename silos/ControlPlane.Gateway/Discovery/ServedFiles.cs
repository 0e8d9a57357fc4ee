using ControlPlane.Contracts.Discovery;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ControlPlane.Gateway.Discovery;

/// <summary>
/// The files reflection hands out, built from <see cref="ApiDescriptors"/>. Generic clients (buf curl among them) resolve the
/// type URLs of an error's details only from the files reflection gave them for the method they call, never by asking for
/// the type: so every file that declares a service names google/rpc/error_details.proto among its dependencies, an import
/// its source does not need. Nothing else differs from what protoc compiled.
/// </summary>
public static class ServedFiles
{
    public static IReadOnlyList<FileDescriptor> Build(FileDescriptorSet set)
    {
        var protos = set.File.Select(f => f.Clone()).ToDictionary(f => f.Name, StringComparer.Ordinal);
        if (!protos.ContainsKey(ApiDescriptors.ErrorDetailsFile))
        {
            throw new InvalidOperationException($"the API's descriptor set lacks {ApiDescriptors.ErrorDetailsFile}");
        }
        foreach (var file in protos.Values.Where(f => f.Service.Count > 0 && !f.Dependency.Contains(ApiDescriptors.ErrorDetailsFile)))
        {
            file.Dependency.Add(ApiDescriptors.ErrorDetailsFile);
        }
        return FileDescriptor.BuildFromByteStrings(DependenciesFirst(protos).Select(f => f.ToByteString()));
    }

    /// <summary>Each file after the files it depends on, as <see cref="FileDescriptor.BuildFromByteStrings(IEnumerable{ByteString})"/> needs.</summary>
    private static List<FileDescriptorProto> DependenciesFirst(Dictionary<string, FileDescriptorProto> protos)
    {
        var ordered = new List<FileDescriptorProto>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(FileDescriptorProto file)
        {
            if (!placed.Add(file.Name)) return;
            foreach (var dependency in file.Dependency) Place(protos[dependency]);
            ordered.Add(file);
        }
        foreach (var file in protos.Values.OrderBy(f => f.Name, StringComparer.Ordinal)) Place(file);
        return ordered;
    }
}
