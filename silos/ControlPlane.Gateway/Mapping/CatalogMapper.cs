using System.Globalization;
using ControlPlane.Domain.Pricing;
using ControlPlane.Grains.Abstractions.Billing;
using ControlPlane.Grains.Abstractions.Catalogue;
using Google.Protobuf.WellKnownTypes;
using V1 = ControlPlane.Contracts.V1;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Catalogue model ↔ proto. Money goes out as invariant decimal strings, never floats.</summary>
public static class CatalogMapper
{
    public static string Amount(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static V1.Price ToProto(this OfferPrice p) => new()
    {
        ListPrice = Amount(p.ListPrice), Unit = (V1.PriceUnit)(int)p.Unit, MarkupPercent = Amount(p.MarkupPercent),
        CataloguePrice = Amount(p.CataloguePrice), Currency = ControlPlane.Domain.Pricing.Money.Currency,
    };

    public static V1.Offer ToProto(this OfferInfo o)
    {
        var proto = new V1.Offer
        {
            Id = o.Id, Kind = (V1.OfferKind)(int)o.Kind, DisplayName = o.DisplayName, Family = o.Family, Size = o.Size,
            Publisher = o.Publisher, Source = o.Source, Price = o.Price.ToProto(),
        };
        proto.Regions.AddRange(o.Regions.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new V1.OfferRegion { Region = r.Key, State = (V1.OfferState)(int)r.Value }));
        proto.History.AddRange(o.History.Select(h => new V1.OfferTransition
        {
            Region = h.Region, From = (V1.OfferState)(int)h.From, To = (V1.OfferState)(int)h.To, Actor = h.Actor, Reason = h.Reason,
            Time = Timestamp.FromDateTimeOffset(h.At),
        }));
        return proto;
    }

    public static V1.InvoicePreview ToProto(this InvoicePreview i)
    {
        var proto = new V1.InvoicePreview { TenantId = i.TenantId, Month = i.Month, Total = Amount(i.Total), Currency = ControlPlane.Domain.Pricing.Money.Currency };
        proto.Lines.AddRange(i.Lines.Select(l => new V1.InvoiceLine
        {
            OfferId = l.OfferId, Description = l.Description, Unit = (V1.PriceUnit)(int)l.Unit,
            Quantity = Amount(Math.Round(l.Quantity, 6, MidpointRounding.AwayFromZero)), UnitPrice = Amount(l.UnitPrice), Amount = Amount(l.Amount),
        }));
        return proto;
    }
}
