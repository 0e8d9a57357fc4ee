using ControlPlane.Contracts.V1;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli;

/// <summary>Short human renderings shared by the commands.</summary>
public static class Formats
{
    public static string Res(Resources? r) => r is null ? "-" : $"{r.Cores}c/{Gib(r.MemoryMib)}/{r.Gpus}g";

    public static string Gib(long mib) => mib % 1024 == 0 ? $"{mib / 1024}GiB" : $"{mib / 1024.0:0.#}GiB";

    public static string Time(Timestamp? t) => t is null ? "-" : t.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ");

    public static string State(OperationState s) => Enum(s);

    public static string State(InstanceState s) => Enum(s);

    public static string State(ServiceState s) => Enum(s);

    public static string Kind(OperationKind k) => Enum(k);

    public static string Role(RegionRole r) => Enum(r);

    public static string Lifecycle(ServerLifecycle l) => Enum(l);

    /// <summary>A condition as one line: "Running=False InstanceLost: message (since …)".</summary>
    public static string Condition(Condition c) =>
        $"{c.Type}={(c.Status ? "True" : "False")} {c.Reason}: {c.Message} (since {Time(c.LastTransitionTime)})";

    /// <summary>An enum value as the catalogue names it: OFFER_KIND_INSTANCE_SIZE → instance-size, PRICE_UNIT_SEAT_MONTH → seat-month.</summary>
    public static string Word<T>(T value) where T : struct, System.Enum => Enum(value).ToLowerInvariant().Replace('_', '-');

    /// <summary>The enum value <see cref="Word"/> names, if any (UNSPECIFIED never).</summary>
    public static T? ParseWord<T>(string word) where T : struct, System.Enum =>
        System.Enum.GetValues<T>().Where(v => !v.Equals(default(T))).Select(v => (T?)v).FirstOrDefault(v => Word(v!.Value) == word);

    /// <summary>The proto name of an enum value without its type prefix: OPERATION_STATE_RUNNING → RUNNING.</summary>
    private static string Enum<T>(T value) where T : struct, System.Enum
    {
        static string Original(string member) => typeof(T).GetField(member)?
            .GetCustomAttributes(typeof(OriginalNameAttribute), false).OfType<OriginalNameAttribute>().FirstOrDefault()?.Name ?? member;
        var name = Original(value.ToString());
        var prefix = Original(System.Enum.GetName(default(T))!).Replace("UNSPECIFIED", "");
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
    }

    public static string Or(string value, string fallback = "-") => string.IsNullOrEmpty(value) ? fallback : value;
}
