using System.CommandLine;
using ControlPlane.Contracts.V1;

namespace ControlPlane.Cli.Commands;

/// <summary>'cpctl invoice': a tenant's invoice preview for a month.</summary>
public static class InvoiceCommands
{
    public static Command Create(CommandRunner run)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant", Required = true };
        var month = new Option<string>("--month") { Description = "The month, YYYY-MM (UTC)", Required = true };
        var command = new Command("invoice", "Preview a tenant's invoice for a month: lines, quantities, unit prices and total (EUR)") { tenant, month };
        run.Set(command, async (p, ctx, ct) =>
        {
            var invoice = await ctx.Billing.GetInvoicePreviewAsync(new GetInvoicePreviewRequest { TenantId = p.GetValue(tenant)!, Month = p.GetValue(month)! }, cancellationToken: ct);
            if (ctx.Out.IsStructured)
            {
                ctx.Out.Object(invoice, []);
                return ExitCodes.Ok;
            }
            var decimals = Formats.RateDecimals(invoice.Lines.Select(l => l.UnitPrice));
            ctx.Out.Table(invoice.Lines, ["OFFER", "DESCRIPTION", "QUANTITY", "UNIT", "UNIT-PRICE", "AMOUNT"], l =>
                [l.OfferId, l.Description, l.Quantity, Formats.Word(l.Unit), Formats.Rate(l.UnitPrice, decimals), Formats.Money(l.Amount)]);
            ctx.Out.Line($"TOTAL {Formats.Money(invoice.Total)} {invoice.Currency} ({invoice.TenantId}, {invoice.Month}; each line rounded once to the cent, half away from zero)");
            return ExitCodes.Ok;
        });
        return command;
    }
}
