using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl catalog': the offers, their prices and their lifecycle per region.</summary>
public static class CatalogCommands
{
    private static readonly string Kinds = string.Join(", ", Enum.GetValues<OfferKind>().Skip(1).Select(k => Formats.Word(k)));
    private static readonly string States = string.Join(", ", Enum.GetValues<OfferState>().Skip(1).Select(s => Formats.Word(s)));

    public static Command Create(CommandRunner run)
    {
        var catalog = new Command("catalog", "The service catalogue: offers, list and catalogue prices, lifecycle per region");
        catalog.Subcommands.Add(List(run));
        catalog.Subcommands.Add(Get(run));
        catalog.Subcommands.Add(SetState(run));
        return catalog;
    }

    private static Command List(CommandRunner run)
    {
        var kind = new Option<string?>("--kind") { Description = $"Only offers of this kind: {Kinds}" };
        kind.AcceptOnlyFromAmong([.. Enum.GetValues<OfferKind>().Skip(1).Select(k => Formats.Word(k))]);
        var region = new Option<string?>("--region") { Description = "Only offers listed in this region (STATE shows their state there)" };
        var command = new Command("list", "List the offers with their prices (EUR) and state per region") { kind, region };
        run.Set(command, async (p, ctx, ct) =>
        {
            var request = new ListOffersRequest { Region = p.GetValue(region) ?? "" };
            if (p.GetValue(kind) is { } k) request.Kind = Formats.ParseWord<OfferKind>(k)!.Value;
            var response = await ctx.Catalog.ListOffersAsync(request, cancellationToken: ct);
            var decimals = Formats.RateDecimals(response.Offers.SelectMany(o => new[] { o.Price.ListPrice, o.Price.CataloguePrice }));
            ctx.Out.Table(response.Offers, ["ID", "KIND", "UNIT", "LIST-PRICE", "MARKUP", "PRICE", "STATE"], o =>
                [o.Id, Formats.Word(o.Kind), Formats.Word(o.Price.Unit), Formats.Rate(o.Price.ListPrice, decimals), $"{o.Price.MarkupPercent}%",
                 Formats.Rate(o.Price.CataloguePrice, decimals),
                 string.Join(" ", o.Regions.Where(r => request.Region.Length == 0 || r.Region == request.Region)
                     .Select(r => request.Region.Length == 0 ? $"{r.Region}={Formats.Word(r.State)}" : Formats.Word(r.State)))]);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Get(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "Offer id" };
        var command = new Command("get", "Show an offer: what it sells, its prices, its state per region and its lifecycle history") { id };
        run.Set(command, async (p, ctx, ct) =>
        {
            Show(ctx, await ctx.Catalog.GetOfferAsync(new GetOfferRequest { Id = p.GetValue(id)! }, cancellationToken: ct));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command SetState(CommandRunner run)
    {
        var id = new Argument<string>("id") { Description = "Offer id" };
        var region = new Option<string>("--region") { Description = "The region", Required = true };
        var state = new Option<string>("--state") { Description = $"The new state: {States}", Required = true };
        state.AcceptOnlyFromAmong([.. Enum.GetValues<OfferState>().Skip(1).Select(s => Formats.Word(s))]);
        var actor = new Option<string?>("--actor") { Description = "Who makes the change, recorded in the history (default: $USER)" };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the history" };
        var dryRun = DryRun.Option();
        var command = new Command("set-state", "Move an offer forward in a region (announced → refactoring → qualification → available → deprecated → retired)")
        {
            id, region, state, actor, reason, dryRun,
        };
        run.Set(command, async (p, ctx, ct) =>
        {
            var request = new SetOfferStateRequest
            {
                Id = p.GetValue(id)!, Region = p.GetValue(region)!, State = Formats.ParseWord<OfferState>(p.GetValue(state)!)!.Value,
                Actor = p.GetValue(actor) ?? ctx.Environment("USER") ?? "cpctl", Reason = p.GetValue(reason) ?? "", ValidateOnly = p.GetValue(dryRun),
            };
            var offer = await ctx.Catalog.SetOfferStateAsync(request, cancellationToken: ct);
            if (request.ValidateOnly && !ctx.Out.IsStructured) return DryRun.Say(ctx, $"offer {offer.Id} would be {Formats.Word(request.State)} in {request.Region}");
            Show(ctx, offer);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Show(CliContext ctx, Offer o) => ctx.Out.Object(o,
    [
        ("id", o.Id), ("kind", Formats.Word(o.Kind)), ("name", o.DisplayName), ("family", o.Family),
        ("size", Formats.Or(o.Size)), ("publisher", Formats.Or(o.Publisher)), ("source", Formats.Or(o.Source)),
        ("list price", $"{Formats.Rate(o.Price.ListPrice, Formats.RateDecimals([o.Price.ListPrice]))} {o.Price.Currency} per {Formats.Word(o.Price.Unit)}"),
        ("markup", $"{o.Price.MarkupPercent}%"),
        ("catalogue price", $"{Formats.Rate(o.Price.CataloguePrice, Formats.RateDecimals([o.Price.CataloguePrice]))} {o.Price.Currency} per {Formats.Word(o.Price.Unit)}"),
        ("regions", string.Join(", ", o.Regions.Select(r => $"{r.Region}={Formats.Word(r.State)}"))),
        ("history", o.History.Count == 0 ? "-" : string.Join("; ", o.History.Select(h =>
            $"{Formats.Time(h.Time)} {h.Region} {(h.From == OfferState.Unspecified ? "not-offered" : Formats.Word(h.From))} → {Formats.Word(h.To)} by {h.Actor}"
            + (h.Reason.Length > 0 ? $" ({h.Reason})" : "")))),
    ]);
}
