using System.CommandLine;
using Google.Protobuf.Collections;

namespace ControlPlane.Cli.Commands;

/// <summary>Lists follow every page by default; --limit and --page-token take control, and the next page's token is kept.</summary>
public static class Paging
{
    private const int PageSize = 500;

    public static Option<int?> Limit() => new("--limit") { Description = "At most this many items (default: all); the next page's token is printed" };

    public static Option<string?> PageToken() => new("--page-token") { Description = "Start from this page token (printed by a list cut by --limit)" };

    /// <summary>The items, and the token of the page after them when --limit stopped the list early (else null).</summary>
    public static async Task<(List<T> Items, string? Next)> CollectAsync<T>(int? limit, string? pageToken,
        Func<int, string, Task<(RepeatedField<T> Items, string Next)>> fetch)
    {
        var items = new List<T>();
        var token = pageToken ?? "";
        do
        {
            var want = limit is { } l ? Math.Min(PageSize, l - items.Count) : PageSize;
            if (want <= 0) break;
            var (page, next) = await fetch(want, token);
            items.AddRange(page);
            token = next;
        }
        while (token.Length > 0);
        return (items, token.Length > 0 ? token : null);
    }
}
