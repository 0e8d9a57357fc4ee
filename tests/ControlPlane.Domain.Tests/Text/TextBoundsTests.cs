using ControlPlane.Domain.Text;

namespace ControlPlane.Domain.Tests.Text;

public sealed class TextBoundsTests
{
    [Fact]
    public void Short_text_is_kept() => Assert.Equal("zone-1", TextBounds.Cut("zone-1", 6));

    [Fact]
    public void Long_text_is_cut_and_says_how_much() => Assert.Equal("abc…(+3 chars)", TextBounds.Cut("abcdef", 3));

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair() => Assert.Equal("ab…(+4 chars)", TextBounds.Cut("ab😀de", 3));
}
