using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Errors;

/// <summary>
/// Adds "did you mean" to an error about a size, region or zone the control plane does not know, from the lists
/// it serves (client side: the closest known values, and the cpctl command that lists them).
/// </summary>
public static class DidYouMean
{
    public static async Task<CliError> AddAsync(CliError error, ParseResult parse, CliContext ctx, CancellationToken ct)
    {
        var hints = new List<string>();
        try
        {
            foreach (var field in error.FieldViolations.Select(v => v.Field).Distinct())
            {
                var hint = field switch
                {
                    "size" => await HintAsync(parse, "--size", "size", "sizes",
                        async () => (await ctx.Topology.ListSizesAsync(new ListSizesRequest(), cancellationToken: ct)).Sizes.Select(s => s.Name)),
                    "region" => await HintAsync(parse, "--region", "region", "regions",
                        async () => (await ctx.Topology.ListRegionsAsync(new ListRegionsRequest(), cancellationToken: ct)).Regions.Select(r => r.Id)),
                    "zone" => await HintAsync(parse, "--zone", "zone", "zones",
                        async () => (await ctx.Topology.ListZonesAsync(new ListZonesRequest(), cancellationToken: ct)).Zones.Select(z => z.Id)),
                    _ => null,
                };
                if (hint is not null) hints.Add(hint);
            }
        }
        catch (Grpc.Core.RpcException)
        {
            // The lists could not be read: the error stands as the control plane gave it.
        }
        return hints.Count == 0 ? error : error with { Hint = string.Join("; ", new[] { error.Hint }.Concat(hints).OfType<string>()) };
    }

    private static async Task<string?> HintAsync(ParseResult parse, string option, string what, string noun, Func<Task<IEnumerable<string>>> known)
    {
        if (!parse.CommandResult.Command.Options.Any(o => o.Name == option) || parse.GetValue<string>(option) is not { Length: > 0 } typed) return null;
        var values = (await known()).ToList();
        if (values.Contains(typed)) return null;
        return $"{what} '{typed}' is unknown: {Suggestions.DidYouMean(typed, values) ?? "no close match"} (see 'cpctl {noun} list')";
    }
}
