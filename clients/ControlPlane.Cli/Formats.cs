using ControlPlane.Contracts.V1;
using Google.Protobuf.Reflection;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Cli;

/// <summary>Short human renderings shared by the commands.</summary>
public static class Formats
{
    /// <summary>Resources in human units: "2400 cores, 3.7 TiB, 8 GPUs" (no GPUs: not said).</summary>
    public static string Res(Resources? r) => r is null ? "-"
        : $"{Count(r.Cores, "core")}, {Memory(r.MemoryMib)}" + (r.Gpus == 0 ? "" : $", {Count(r.Gpus, "GPU")}");

    public static string Count(long n, string unit) => $"{n.ToString(CultureInfo.InvariantCulture)} {unit}{(n == 1 ? "" : "s")}";

    /// <summary>Memory from MiB in the largest binary unit that keeps a number ≥ 1, one decimal at most: 512 MiB, 8 GiB, 3.7 TiB.</summary>
    public static string Memory(long mib)
    {
        string[] units = ["MiB", "GiB", "TiB", "PiB"];
        double value = mib;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>An amount of money (an invoice line or total) with the currency's two decimals, half away from zero: 7.50, 1234.06.</summary>
    public static string Money(string value) => Fixed(value, 2);

    /// <summary>
    /// A unit rate (per hour, per seat, per month) exact, with <paramref name="decimals"/> (at least the currency's two): a column of
    /// rates takes the decimals of its finest one (<see cref="RateDecimals"/>), so every row has as many and none is rounded, and an
    /// invoice line's amount can be worked out from the rate shown.
    /// </summary>
    public static string Rate(string value, int decimals) => Fixed(value, decimals);

    /// <summary>The decimals a column of rates needs for none of them to be rounded: at least two.</summary>
    public static int RateDecimals(IEnumerable<string> values) => Math.Max(2, values
        .Select(v => decimal.TryParse(v, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            ? d.ToString(CultureInfo.InvariantCulture).Split('.').ElementAtOrDefault(1)?.TrimEnd('0').Length ?? 0 : 0)
        .DefaultIfEmpty(0).Max());

    private static string Fixed(string value, int decimals) =>
        decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)
            ? Math.Round(d, decimals, MidpointRounding.AwayFromZero).ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture) : value;

    public static string Time(Timestamp? t) => t is null ? "-" : t.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ");

    public static string State(OperationState s) => Word(s);

    public static string State(InstanceState s) => Word(s);

    public static string State(ServiceState s) => Word(s);

    public static string Kind(OperationKind k) => Word(k);

    public static string Role(RegionRole r) => Word(r);

    public static string Lifecycle(ServerLifecycle l) => Word(l);

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
