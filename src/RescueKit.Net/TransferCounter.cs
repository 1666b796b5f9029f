using System.Collections.Concurrent;
using System.Net;

namespace RescueKit.Net;

/// <summary>The transfers a server has in progress (for the status line and for the leak checks of the tests), and
/// where finished ones are reported.</summary>
public sealed class TransferCounter
{
    private readonly ConcurrentDictionary<long, (EndPoint Client, string Protocol, string File)> _active = new();
    private long _next;

    /// <summary>Raised once per finished transfer, on the transfer's own thread.</summary>
    public event Action<TransferRecord>? Finished;

    public int Active => _active.Count;

    public IReadOnlyCollection<(EndPoint Client, string Protocol, string File)> InProgress => _active.Values.ToList();

    internal long Begin(EndPoint client, string protocol, string file)
    {
        var id = Interlocked.Increment(ref _next);
        _active[id] = (client, protocol, file);
        return id;
    }

    internal void End(long id, TransferRecord record)
    {
        _active.TryRemove(id, out _);
        Finished?.Invoke(record);
    }
}
