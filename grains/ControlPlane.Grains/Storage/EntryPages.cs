using ControlPlane.Grains.Telemetry;
using Orleans.Storage;

namespace ControlPlane.Grains.Storage;

/// <summary>
/// A grain's entries by key, stored in pages of at most <c>pageSize</c> entries, each page a state of its own
/// (<c>stateName</c>, key <c>{owner}/{n}</c>): adding, changing or removing an entry writes its page alone, so a write
/// costs the same however many entries the grain holds (a tenant with 100,000 instances writes one page per create, not
/// 100,000 entries). New entries go to the lowest page with room and pages are never deleted, so the stored pages are
/// numbered without gaps and <see cref="LoadAsync"/> reads until the first page never written.
/// Not thread-safe: the owning grain's turns serialize its calls, as they do for its own state.
/// </summary>
public sealed class EntryPages<T>(IGrainStorage storage, string stateName, string owner, int pageSize = EntryPages.DefaultPageSize)
{
    private readonly List<GrainState<EntryPage<T>>> _pages = [];
    private readonly Dictionary<string, int> _pageOf = new(StringComparer.Ordinal);
    private readonly SortedSet<int> _withRoom = [];

    public int Count => _pageOf.Count;

    public IEnumerable<KeyValuePair<string, T>> Entries => _pages.SelectMany(p => p.State!.Entries);

    public bool ContainsKey(string key) => _pageOf.ContainsKey(key);

    public bool TryGetValue(string key, out T value)
    {
        if (_pageOf.TryGetValue(key, out var n) && EntriesOf(n).TryGetValue(key, out value!)) return true;
        value = default!;
        return false;
    }

    /// <summary>
    /// Reads the stored pages, 2, 4, 8… up to <see cref="EntryPages.ReadAhead"/> at a time, until the first one never
    /// written: a grain with one page (most tenants) loads in one round trip.
    /// </summary>
    public async Task LoadAsync()
    {
        _pages.Clear();
        _pageOf.Clear();
        _withRoom.Clear();
        for (var size = 2; ; size = Math.Min(size * 2, EntryPages.ReadAhead))
        {
            var first = _pages.Count;
            var chunk = Enumerable.Range(0, size).Select(_ => new GrainState<EntryPage<T>>(new EntryPage<T>())).ToArray();
            await Task.WhenAll(chunk.Select((page, i) => storage.ReadStateAsync(stateName, PageId(first + i), page)));
            foreach (var page in chunk)
            {
                if (!page.RecordExists) return;
                page.State ??= new EntryPage<T>();
                Adopt(page);
            }
        }
    }

    /// <summary>Adds or replaces the entry <paramref name="key"/> and writes its page; on a failed write memory is as before.</summary>
    public async Task SetAsync(string key, T value, Grain grain)
    {
        var n = PageFor(key);
        var entries = EntriesOf(n);
        var had = entries.TryGetValue(key, out var before);
        entries[key] = value;
        try
        {
            await WriteAsync(n, grain);
        }
        catch
        {
            if (had) entries[key] = before!;
            else entries.Remove(key);
            throw;
        }
        Placed(key, n);
    }

    /// <summary>
    /// Adds the entries not held yet, filling pages as <see cref="SetAsync"/> does, and writes each page it changed once (a
    /// state kept whole before is moved into pages this way). A failed write leaves memory changed: the grain must not go
    /// on with it (a failure during activation fails the activation).
    /// </summary>
    public async Task AddMissingAsync(IEnumerable<KeyValuePair<string, T>> added, Grain grain)
    {
        var changed = new SortedSet<int>();
        foreach (var (key, value) in added)
        {
            if (_pageOf.ContainsKey(key)) continue;
            var n = PageFor(key);
            EntriesOf(n)[key] = value;
            Placed(key, n);
            changed.Add(n);
        }
        foreach (var n in changed) await WriteAsync(n, grain);
    }

    /// <summary>Removes the entry <paramref name="key"/> and writes its page: false when there was none (nothing written).</summary>
    public async Task<bool> RemoveAsync(string key, Grain grain)
    {
        if (!_pageOf.ContainsKey(key)) return false;
        await RemoveAllAsync([key], grain);
        return true;
    }

    /// <summary>
    /// Removes the entries of <paramref name="keys"/> that are held, writing each page it changes once. A failed write puts
    /// that page's entries back and stops: the pages written before it stay written.
    /// </summary>
    public async Task RemoveAllAsync(IEnumerable<string> keys, Grain grain)
    {
        foreach (var page in keys.Distinct(StringComparer.Ordinal).Where(_pageOf.ContainsKey).GroupBy(k => _pageOf[k]).OrderBy(g => g.Key).ToList())
        {
            var entries = EntriesOf(page.Key);
            var removed = page.Select(k => KeyValuePair.Create(k, entries[k])).ToList();
            foreach (var (key, _) in removed) entries.Remove(key);
            try
            {
                await WriteAsync(page.Key, grain);
            }
            catch
            {
                foreach (var (key, value) in removed) entries[key] = value;
                throw;
            }
            foreach (var (key, _) in removed) _pageOf.Remove(key);
            _withRoom.Add(page.Key);
        }
    }

    private Dictionary<string, T> EntriesOf(int n) => _pages[n].State!.Entries;

    /// <summary>The page holding <paramref name="key"/>, else the lowest page with room, else a new one.</summary>
    private int PageFor(string key) => _pageOf.TryGetValue(key, out var n) ? n : _withRoom.Count > 0 ? _withRoom.Min : AddPage();

    /// <summary>Records <paramref name="key"/> on page <paramref name="n"/>, once its entry is there (and stored, or about to be).</summary>
    private void Placed(string key, int n)
    {
        _pageOf[key] = n;
        if (EntriesOf(n).Count >= pageSize) _withRoom.Remove(n);
    }

    private GrainId PageId(int n) => GrainId.Create(stateName, $"{owner}/{n}");

    private Task WriteAsync(int n, Grain grain) => storage.PersistAsync(stateName, PageId(n), _pages[n], grain);

    private int AddPage()
    {
        _pages.Add(new GrainState<EntryPage<T>>(new EntryPage<T>()));
        _withRoom.Add(_pages.Count - 1);
        return _pages.Count - 1;
    }

    private void Adopt(GrainState<EntryPage<T>> page)
    {
        var n = _pages.Count;
        _pages.Add(page);
        foreach (var key in page.State!.Entries.Keys) _pageOf[key] = n;
        if (page.State!.Entries.Count < pageSize) _withRoom.Add(n);
    }
}

public static class EntryPages
{
    /// <summary>Entries per page: a page of tenant instances or usage records stays under about 16 KB of JSON.</summary>
    public const int DefaultPageSize = 64;

    /// <summary>Pages read at once when loading: a tenant of 100,000 instances (1,563 pages) loads in about 100 rounds.</summary>
    public const int ReadAhead = 16;
}
