using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ControlPlane.Gateway.Mapping;

/// <summary>A message's string field read by name, whatever the message's type ("" when it has no such field).</summary>
public static class MessageFields
{
    public static string String(IMessage? message, string name) =>
        message?.Descriptor.FindFieldByName(name) is { FieldType: FieldType.String, IsRepeated: false } field
            ? field.Accessor.GetValue(message) as string ?? "" : "";
}
