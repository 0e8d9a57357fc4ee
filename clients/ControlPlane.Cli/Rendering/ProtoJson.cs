using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli.Rendering;

/// <summary>
/// The API's messages as cpctl's JSON: every field present, camelCase names, 64-bit integers as numbers (not
/// strings), enum values as lower-case words (OPERATION_STATE_SUCCEEDED → succeeded), times in ISO 8601, and an
/// operation's google.rpc.Status as the error object cpctl prints (code, reason, message, metadata).
/// </summary>
public static class ProtoJson
{
    public static JsonNode? Node(IMessage? message) => message switch
    {
        null => null,
        Timestamp t => JsonValue.Create(t.ToDateTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)),
        Duration d => JsonValue.Create(d.ToTimeSpan().TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"),
        Google.Rpc.Status s => Errors.CliError.From(s).ToNode(),
        Any or Value or Struct or ListValue => JsonNode.Parse(JsonFormatter.Default.Format(message)),
        _ => Fields(message),
    };

    private static JsonObject Fields(IMessage message)
    {
        var obj = new JsonObject();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            obj[field.JsonName] = field switch
            {
                { IsMap: true } => Map(field, (IDictionary)value),
                { IsRepeated: true } => new JsonArray([.. ((IEnumerable)value).Cast<object>().Select(v => Single(field, v))]),
                _ => Single(field, value),
            };
        }
        return obj;
    }

    private static JsonObject Map(FieldDescriptor field, IDictionary map)
    {
        var valueField = field.MessageType.FindFieldByNumber(2);
        var obj = new JsonObject();
        foreach (DictionaryEntry entry in map) obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = Single(valueField, entry.Value!);
        return obj;
    }

    private static JsonNode? Single(FieldDescriptor field, object? value) => field.FieldType switch
    {
        _ when value is null => null,
        FieldType.Message or FieldType.Group => Node((IMessage)value),
        FieldType.Enum => EnumWord(field.EnumType, System.Convert.ToInt32(value, CultureInfo.InvariantCulture)),
        FieldType.Bytes => JsonValue.Create(((ByteString)value).ToBase64()),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => JsonValue.Create((long)value),
        FieldType.UInt64 or FieldType.Fixed64 => JsonValue.Create((ulong)value),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => JsonValue.Create((int)value),
        FieldType.UInt32 or FieldType.Fixed32 => JsonValue.Create((uint)value),
        FieldType.Bool => JsonValue.Create((bool)value),
        FieldType.Double => JsonValue.Create((double)value),
        FieldType.Float => JsonValue.Create((float)value),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>An enum value as a word: its proto name without the type's prefix, lower-case, '-' for '_'; UNSPECIFIED: null.</summary>
    public static JsonNode? EnumWord(EnumDescriptor type, int number)
    {
        if (number == 0) return null;
        if (type.FindValueByNumber(number) is not { } value) return JsonValue.Create(number);
        return JsonValue.Create(Word(type, value.Name));
    }

    public static string Word(EnumDescriptor type, string protoName)
    {
        var prefix = type.Values.FirstOrDefault(v => v.Number == 0)?.Name.Replace("UNSPECIFIED", "", StringComparison.Ordinal) ?? "";
        var name = prefix.Length > 0 && protoName.StartsWith(prefix, StringComparison.Ordinal) ? protoName[prefix.Length..] : protoName;
        return name.ToLowerInvariant().Replace('_', '-');
    }
}
