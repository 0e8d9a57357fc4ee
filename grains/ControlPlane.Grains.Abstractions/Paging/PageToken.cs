using System.Text;
using ControlPlane.Grains.Abstractions.Errors;

namespace ControlPlane.Grains.Abstractions.Paging;

/// <summary>Opaque page tokens: the last key of the previous page, so pages stay stable while items are added.</summary>
public static class PageToken
{
    private const string Prefix = "after:";

    public static string For(string lastKey) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(Prefix + lastKey)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The key to start after, or null for the first page.</summary>
    public static string? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            if (text.StartsWith(Prefix, StringComparison.Ordinal)) return text[Prefix.Length..];
        }
        catch (FormatException)
        {
        }
        throw DomainError.BadField(ErrorReasons.InvalidPageToken, "page_token", "page_token is not a token this API returned").ToException();
    }

    /// <summary>Takes one page from keys sorted ordinally.</summary>
    public static Page<T> Slice<T>(IReadOnlyList<T> sorted, Func<T, string> key, int pageSize, string? token)
    {
        var after = Parse(token);
        var size = pageSize == 0 ? Validate.DefaultPageSize : pageSize;
        var start = 0;
        if (after is not null)
        {
            int lo = 0, hi = sorted.Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (string.CompareOrdinal(key(sorted[mid]), after) <= 0) lo = mid + 1; else hi = mid;
            }
            start = lo;
        }
        var items = sorted.Skip(start).Take(size).ToArray();
        var next = start + items.Length < sorted.Count && items.Length > 0 ? For(key(items[^1])) : "";
        return new Page<T>([.. items], next, sorted.Count);
    }
}
