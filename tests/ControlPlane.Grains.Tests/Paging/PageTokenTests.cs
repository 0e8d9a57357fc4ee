using ControlPlane.Grains.Abstractions.Errors;
using ControlPlane.Grains.Abstractions.Paging;

namespace ControlPlane.Grains.Tests.Paging;

public sealed class PageTokenTests
{
    [Fact]
    public void Pages_cover_every_item_once_in_order()
    {
        var items = Enumerable.Range(0, 250).Select(i => $"k{i:000}").ToList();
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = PageToken.Slice(items, s => s, 100, token);
            seen.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(items, seen);
    }

    [Fact]
    public void A_token_this_api_did_not_issue_is_invalid()
    {
        var e = Assert.Throws<ControlPlaneException>(() => PageToken.Slice(["a"], s => s, 10, "not-a-token!"));
        Assert.Equal((ErrorStatus.InvalidArgument, ErrorReasons.InvalidPageToken), (e.Error.Code, e.Error.Reason));
    }
}
