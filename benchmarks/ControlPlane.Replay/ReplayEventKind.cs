namespace ControlPlane.Replay;

/// <summary>The order of events at one time: departures, then arrivals, then zero-length stays ending.</summary>
public enum ReplayEventKind
{
    Departure = 0,
    Arrival = 1,
    DepartureAfterArrival = 2,
}
