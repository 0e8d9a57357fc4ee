using System.Globalization;
using System.Text;
using ControlPlane.Domain.Text;

namespace ControlPlane.Domain.Audit;

/// <summary>
/// What a caller's text may become in the audit log: control characters (NUL among them, which
/// PostgreSQL refuses in text) and unpaired surrogates written as <c>\uXXXX</c>, so a record is stored
/// and read back as it was hashed, and never reaches a terminal as an escape sequence; and a bound on
/// length, so one hostile field cannot make a record too large to store or to list.
/// </summary>
public static class AuditText
{
    /// <summary>How many characters of a field are kept; the rest is replaced by a note of how many were cut.</summary>
    public const int MaxField = 256;

    public static string Clean(string? value, int maxLength = MaxField)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value.Length <= maxLength && IsPlain(value)) return value;
        var text = new StringBuilder(Math.Min(value.Length, maxLength + 32));
        var i = 0;
        for (; i < value.Length && text.Length < maxLength; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
            }
            else if (char.IsControl(c) || char.IsSurrogate(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }
        if (i < value.Length) text.Append(TextBounds.Note(value.Length - i));
        return text.ToString();
    }

    private static bool IsPlain(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsSurrogate(c)) return false;
        }
        return true;
    }
}
