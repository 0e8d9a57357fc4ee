namespace ControlPlane.Domain.Capacity;

/// <summary>
/// Which servers of a zone hold members of which anti-affinity groups, learnt from the servers'
/// usage like the capacity index. The zone proposes accordingly; the server grain, which refuses a
/// second member of a group, has the last word.
/// </summary>
public sealed class AntiAffinityIndex
{
    private readonly Dictionary<string, Dictionary<string, string>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _groupsOfServer = new(StringComparer.Ordinal);

    /// <summary>Records the grouped instances a server reported (instance id → group key).</summary>
    public void Update(string serverId, IReadOnlyDictionary<string, string> groups)
    {
        if (_groupsOfServer.TryGetValue(serverId, out var previous))
        {
            foreach (var (instanceId, group) in previous)
            {
                // A member that moved to another server is that server's to report.
                if (_members.TryGetValue(group, out var members) && members.GetValueOrDefault(instanceId) == serverId)
                {
                    members.Remove(instanceId);
                    if (members.Count == 0) _members.Remove(group);
                }
            }
        }
        if (groups.Count == 0)
        {
            _groupsOfServer.Remove(serverId);
            return;
        }
        _groupsOfServer[serverId] = groups;
        foreach (var (instanceId, group) in groups)
        {
            if (!_members.TryGetValue(group, out var members)) _members[group] = members = new(StringComparer.Ordinal);
            members[instanceId] = serverId;
        }
    }

    /// <summary>True when the zone holds a member of <paramref name="group"/> other than <paramref name="instanceId"/>.</summary>
    public bool HasOtherMember(string group, string instanceId) =>
        _members.TryGetValue(group, out var members) && members.Keys.Any(id => id != instanceId);

    /// <summary>The servers holding members of <paramref name="group"/> other than <paramref name="instanceId"/>.</summary>
    public IEnumerable<string> ServersOfOtherMembers(string group, string instanceId) =>
        _members.TryGetValue(group, out var members) ? members.Where(m => m.Key != instanceId).Select(m => m.Value) : [];
}
