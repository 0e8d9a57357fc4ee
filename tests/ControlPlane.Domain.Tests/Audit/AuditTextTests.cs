using ControlPlane.Domain.Audit;

namespace ControlPlane.Domain.Tests.Audit;

public sealed class AuditTextTests
{
    [Fact]
    public void Plain_text_is_kept_as_it_is() =>
        Assert.Equal("svc:provisioning créé 😀", AuditText.Clean("svc:provisioning créé 😀"));

    [Theory]
    [InlineData("x\0y", "x\\u0000y")]
    [InlineData("acme\n", "acme\\u000a")]
    [InlineData("\u001b[31mred", "\\u001b[31mred")]
    [InlineData("a\u0085b", "a\\u0085b")]
    public void Control_characters_and_lone_surrogates_are_escaped(string value, string stored) =>
        Assert.Equal(stored, AuditText.Clean(value));

    [Fact]
    public void A_long_field_is_cut_and_says_how_much_was_cut()
    {
        var cleaned = AuditText.Clean(new string('a', 1_048_576));
        Assert.Equal(new string('a', AuditText.MaxField) + "…(+1048320 chars)", cleaned);
    }

    [Fact]
    public void A_lone_surrogate_is_escaped() =>
        Assert.Equal("lone \\ud800 surrogate", AuditText.Clean("lone \ud800 surrogate"));

    [Fact]
    public void Null_is_empty() => Assert.Equal("", AuditText.Clean(null));

    [Fact]
    public void A_cut_never_splits_a_surrogate_pair()
    {
        var cleaned = AuditText.Clean(new string('a', 255) + "😀tail", 256);
        Assert.StartsWith(new string('a', 255) + "😀", cleaned);
        Assert.DoesNotContain("\\ud83d", cleaned);
    }
}
