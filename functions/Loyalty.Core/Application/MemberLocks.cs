namespace Loyalty.Core.Application;

/// <summary>
/// Queues this process's operations on one member behind each other. Optimistic concurrency alone stays correct
/// under contention, but fifty receipts racing for one member waste most of their transactions on lost races and
/// the last ones give up as "busy"; waiting in line costs nothing. Races with other processes still end in the
/// ETag check and a retry.
/// </summary>
internal sealed class MemberLocks
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!)) entries[key] = entry = new Entry();
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Release(key, entry, held: false);
            throw;
        }
        return new Holder(this, key, entry);
    }

    private void Release(string key, Entry entry, bool held)
    {
        if (held) entry.Gate.Release();
        lock (entries)
        {
            // The last user removes the entry, so the table holds only members being worked on right now.
            if (--entry.Users == 0) entries.Remove(key);
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Users { get; set; }
    }

    private sealed class Holder(MemberLocks owner, string key, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) owner.Release(key, entry, held: true);
        }
    }
}
