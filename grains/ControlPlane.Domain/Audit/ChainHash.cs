using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>The hash that links an audit record to the one before it.</summary>
public static class ChainHash
{
    /// <summary>
    /// SHA-256 (lower-case hex) of the record's sequence, time (UTC ticks), fields and previous hash,
    /// each length-prefixed so that no two different records hash the same text.
    /// </summary>
    public static string Of(long sequence, DateTimeOffset time, IEnumerable<string> fields, string previousHash)
    {
        var text = new StringBuilder();
        void Append(string part) => text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('|');
        Append(sequence.ToString(CultureInfo.InvariantCulture));
        Append(time.UtcTicks.ToString(CultureInfo.InvariantCulture));
        foreach (var field in fields) Append(field);
        Append(previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
