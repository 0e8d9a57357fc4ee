using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ControlPlane.Gateway.Mapping;

/// <summary>A message's fields read by name, whatever the message's type.</summary>
public static class MessageFields
{
    /// <summary>A message's string field read by name ("" when it has no such field).</summary>
    public static string String(IMessage? message, string name) =>
        message?.Descriptor.FindFieldByName(name) is { FieldType: FieldType.String, IsRepeated: false } field
            ? field.Accessor.GetValue(message) as string ?? "" : "";

    /// <summary>A message's bool field read by name (false when it has no such field).</summary>
    public static bool Bool(IMessage? message, string name) =>
        message?.Descriptor.FindFieldByName(name) is { FieldType: FieldType.Bool, IsRepeated: false } field
            && field.Accessor.GetValue(message) is true;
}
