using ControlPlane.Grains.Abstractions.Errors;
using Google.Protobuf.WellKnownTypes;

namespace ControlPlane.Gateway.Mapping;

/// <summary>Durations and timestamps from requests: one out of range is INVALID_ARGUMENT naming its field, not an exception.</summary>
public static class ProtoTime
{
    public static TimeSpan? Read(string field, Duration? value)
    {
        if (value is null) return null;
        try
        {
            return value.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            throw DomainError.BadField(ErrorReasons.InvalidArgument, field,
                $"{field} is not a valid duration (seconds and nanos of the same sign, nanos within ±999,999,999)").ToException();
        }
    }

    public static DateTimeOffset? Read(string field, Timestamp? value)
    {
        if (value is null) return null;
        try
        {
            return value.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw DomainError.BadField(ErrorReasons.InvalidArgument, field,
                $"{field} is not a valid timestamp (years 1 to 9999, nanos within 0 to 999,999,999)").ToException();
        }
    }
}
